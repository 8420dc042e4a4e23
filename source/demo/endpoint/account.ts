/** The account and Region the local endpoint answers as: in ARNs, @log and @ptr. */
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
