/** The CloudWatch Logs actions the endpoint answers (`X-Amz-Target: Logs_20140328.<Action>`). */
export const ACTIONS = [
	'CreateLogGroup',
	'CreateLogStream',
	'DescribeLogGroups',
	'DescribeLogStreams',
	'DescribeQueries',
	'FilterLogEvents',
	'GetLogEvents',
	'GetLogRecord',
	'GetQueryResults',
	'PutLogEvents',
	'StartQuery',
	'StopQuery',
] as const;

export type ActionName = (typeof ACTIONS)[number];

export function isAction(name: string): name is ActionName {
	return (ACTIONS as readonly string[]).includes(name);
}
