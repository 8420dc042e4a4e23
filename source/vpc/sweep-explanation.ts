import type {AnsweredTarget, Sweep} from '../diagnosis/finding.js';
import {listOf, plural, targetPort, targetText} from '../diagnosis/wording.js';
import {evaluateBoundary, type LayerVerdict} from './boundary.js';
import type {VpcConfiguration} from './configuration.js';
import {type RuleExplanation, sideOf, Wording} from './rule-explanation.js';
import type {Direction} from '../net/direction.js';

/** The layer that refused a group of a sweep's targets, and how many. */
interface Refusal {
	readonly layer: LayerVerdict | undefined;
	readonly direction: Direction;
	readonly subnetId: string;
	readonly groupIds: readonly string[];
	count: number;
}

function keyOf(layer: LayerVerdict | undefined, groupIds: readonly string[]): string {
	if (!layer) {
		return 'allows';
	}

	return layer.layer === 'network-acl' ? `${layer.acl.id} ${layer.verdict.rule}` : `sg ${groupIds.join(' ')}`;
}

/** `22 and 443 answered`, with hosts when the sweep went over several. */
function answeredText(answered: readonly AnsweredTarget[], oneHost: boolean): string {
	const shown = answered.map(({host, protocol, port}) =>
		oneHost ? targetPort(protocol, port) : targetText(host, protocol, port),
	);
	return shown.length === 0 ? '' : `${listOf(shown, 4)} answered`;
}

/**
 * What the configuration says of a sweep: each refused target (host, port) is evaluated like a
 * refused request, and the targets are counted by the entry that refuses them, since a scan of a
 * thousand ports is refused by one or two rules, not a thousand. The explanation carries the entry
 * that refuses the most; its text names each one with its count. Undefined when the configuration
 * knows none of the interfaces.
 */
export function explainSweep(config: VpcConfiguration, sweep: Sweep): RuleExplanation | undefined {
	const refusals = new Map<string, Refusal>();
	let total = 0;
	for (const target of sweep.refused) {
		const side = sideOf(config, target);
		if (!side) {
			continue;
		}

		const {direction, groups, acl} = side;
		for (const port of target.ports) {
			const packet = {protocol: target.protocol, src: target.src, dst: target.dst, srcPort: 0, dstPort: port};
			const layers = evaluateBoundary({groups, acl, members: config.members, direction, packet, leg: 'request'});
			const layer = layers.find(candidate => !candidate.allowed);
			const groupIds = groups.map(group => group.id);
			const key = keyOf(layer, groupIds);
			const refusal = refusals.get(key) ?? {layer, direction, subnetId: side.subnetId, groupIds, count: 0};
			refusal.count++;
			refusals.set(key, refusal);
			total++;
		}
	}

	if (total === 0) {
		return undefined;
	}

	const hosts = new Set(sweep.refused.map(target => target.dst));
	for (const answered of sweep.answered) {
		hosts.add(answered.host);
	}

	const oneHost = hosts.size === 1;
	const tried = total + sweep.answered.length;
	const unit = oneHost ? 'port' : 'target';
	const words = new Wording(config);
	const ranked = [...refusals.values()].sort(
		(a, b) => Number(b.layer !== undefined) - Number(a.layer !== undefined) || b.count - a.count,
	);
	const parts = ranked.map(refusal => {
		const share = `${refusal.count} of ${plural(tried, unit)}`;
		const {layer} = refusal;
		if (!layer) {
			return `the configuration now lets ${share} through: its rules changed after these flows were logged, or another layer refused them`;
		}

		if (layer.layer === 'network-acl') {
			const {rule} = layer.verdict;
			const decided = rule === '*' ? `the final deny (*) drops ${share}` : `rule ${rule} denies ${share}`;
			return `refused by NACL ${layer.acl.id} of ${words.subnetText(refusal.subnetId)}: ${decided}`;
		}

		const names = refusal.groupIds.map(id => words.groupText(id));
		const subject = names.length === 1 ? `security group ${names[0]}` : `security groups ${names.join(', ')}`;
		return `refused by ${subject}: no ${refusal.direction} rule for ${share}`;
	});
	const answered = answeredText(sweep.answered, oneHost);
	const [top] = ranked;
	const {layer} = top!;
	const text = `${parts.join('; ')}${answered ? `; ${answered}` : ''}`;
	if (!layer) {
		return {verdict: 'allows', direction: top!.direction, text};
	}

	return {
		verdict: 'refuses',
		layer: layer.layer,
		resource: layer.layer === 'network-acl' ? layer.acl.id : top!.groupIds[0],
		...(layer.layer === 'network-acl' ? {subnet: top!.subnetId, entry: layer.verdict.rule} : {}),
		direction: top!.direction,
		denies: `${top!.count} of ${plural(tried, unit)}`,
		text,
	};
}
