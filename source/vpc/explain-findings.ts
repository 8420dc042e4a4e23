import type {Finding} from '../diagnosis/finding.js';
import {type InterfaceConfig, KIND_LABELS, type VpcConfiguration} from './configuration.js';
import {explainSweep} from './sweep-explanation.js';
import {explainRejectedFlow, type RejectedFlow, type RuleExplanation} from './rule-explanation.js';

/** Findings whose advice guesses at the layer: with the configuration, the named entry replaces the guess. */
const LAYER_KINDS: ReadonlySet<Finding['kind']> = new Set([
	'inbound-rejected',
	'outbound-rejected',
	'nacl-return-blocked',
]);

// Interface descriptions run long (`Interface for NAT Gateway nat-0e1f...`): a summary has room
// for a short name, else for the kind.
const SHORT_NAME = 24;

function label(eni: InterfaceConfig): string {
	return eni.name !== undefined && eni.name.length <= SHORT_NAME ? eni.name : KIND_LABELS[eni.kind];
}

function sentence(text: string): string {
	return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function explanationOf(finding: Finding, config: VpcConfiguration): RuleExplanation | undefined {
	if (finding.sweep) {
		return explainSweep(config, finding.sweep);
	}

	const leg = finding.kind === 'nacl-return-blocked' ? 'response' : 'request';
	const explanations = finding.evidence.flatMap(evidence => {
		const {eni, src, dst, srcPort, dstPort, protocol} = evidence;
		if (
			evidence.action !== 'REJECT' ||
			eni === undefined ||
			src === undefined ||
			dst === undefined ||
			protocol === undefined
		) {
			return [];
		}

		const flow: RejectedFlow = {eni, src, dst, srcPort: srcPort ?? 0, dstPort: dstPort ?? 0, protocol};
		const explanation = explainRejectedFlow(config, flow, leg, finding.direction);
		return explanation ? [explanation] : [];
	});
	// The evidence comes heaviest first: the heaviest record a layer refuses is what the finding is about.
	return explanations.find(explanation => explanation.verdict === 'refuses') ?? explanations[0];
}

/**
 * Whether a configured entry can explain the refusals. Not when Block Public Access refused them
 * (the records say so), nor for late replies refused because the connection was no longer tracked
 * (the benign note of nacl-return-blocked): judged as responses every rule lets them through, and
 * judged as requests the rule to name would be one nobody should add.
 */
function isExplainable(finding: Finding): boolean {
	return finding.rejectReason === undefined && !(finding.kind === 'nacl-return-blocked' && finding.severity === 'info');
}

/**
 * The one place where the VPC's configuration meets the findings: each finding gains its
 * interface's name and kind, and, for refused flows, the entry that refuses them (or the fact
 * that nothing configured now would), in its advice and as a field of its own. The rules that
 * find things stay pure functions of the records; without a configuration the findings pass as
 * they are.
 */
export function explainFindings(findings: readonly Finding[], config: VpcConfiguration | undefined): Finding[] {
	if (!config) {
		return [...findings];
	}

	return findings.map(finding => {
		const eni = finding.eni === undefined ? undefined : config.interface(finding.eni);
		const identity = eni ? {...(eni.name ? {name: eni.name} : {}), type: KIND_LABELS[eni.kind]} : {};
		const summary =
			eni && finding.eni ? finding.summary.replace(finding.eni, `${finding.eni} (${label(eni)})`) : finding.summary;
		const rule = isExplainable(finding) ? explanationOf(finding, config) : undefined;
		if (!rule) {
			return {...finding, ...identity, summary};
		}

		if (LAYER_KINDS.has(finding.kind)) {
			return {
				...finding,
				...identity,
				summary,
				advice: `${sentence(rule.text)}${rule.fix ? `: ${rule.fix}` : ''}.`,
				rule,
			};
		}

		// A scanner or a stranger's client is refused on purpose: name what refuses it, never how to let it in.
		const {fix, ...named} = rule;
		return {...finding, ...identity, summary, advice: `${finding.advice} ${sentence(named.text)}.`, rule: named};
	});
}
