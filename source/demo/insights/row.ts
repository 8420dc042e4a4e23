import {type Discovered, discoveredField} from './discover.js';
import type {Value} from './value.js';

/** A log event as a query sees it: what CloudWatch Logs stores, plus where it came from. */
export interface InsightsEvent {
	/** Milliseconds since the epoch: for flow logs, the start of the capture window. */
	readonly timestamp: number;
	readonly message: string;
	readonly ingestionTime: number;
	readonly ptr: string;
	readonly logStream: string;
	/** `account-id:log-group-name`, as Insights writes @log. */
	readonly log: string;
}

/** One row flowing through a query: an event with fields added by `fields`/`parse`, or a stats group. */
export interface Row {
	get(name: string): Value;
	/** A copy with these fields set (rows are never changed in place: partial results re-run the tail). */
	with(values: ReadonlyMap<string, Value>): Row;
}

function systemField(event: InsightsEvent, name: string, discovered: Discovered): Value {
	switch (name) {
		case '@timestamp': {
			return new Date(event.timestamp);
		}

		case '@message': {
			return event.message;
		}

		case '@ingestionTime': {
			return new Date(event.ingestionTime);
		}

		case '@ptr': {
			return event.ptr;
		}

		case '@logStream': {
			return event.logStream;
		}

		case '@log': {
			return event.log;
		}

		default: {
			return discoveredField(event.message, name, discovered);
		}
	}
}

export class EventRow implements Row {
	constructor(
		readonly event: InsightsEvent,
		private readonly added?: ReadonlyMap<string, Value>,
		// Shared by the copies with() makes: the message is read once for all of them.
		private readonly discovered: Discovered = {},
	) {}

	get(name: string): Value {
		if (this.added?.has(name)) {
			return this.added.get(name);
		}

		return systemField(this.event, name, this.discovered);
	}

	with(values: ReadonlyMap<string, Value>): Row {
		return new EventRow(this.event, this.added ? new Map([...this.added, ...values]) : values, this.discovered);
	}
}

export class MapRow implements Row {
	constructor(private readonly values: ReadonlyMap<string, Value>) {}

	get(name: string): Value {
		return this.values.get(name);
	}

	with(values: ReadonlyMap<string, Value>): Row {
		return new MapRow(new Map([...this.values, ...values]));
	}
}
