/**
 * Sweeps as the JupyterLab side sees them: the REST shapes (`deployments/{id}/sweeps`,
 * `sweeps/{id}`), what the "Sweep…" form sends, and the results table's columns, cells and
 * sort order. No React and no JupyterLab here, so the logic runs (and is tested) in plain Node.
 */
import { formatDuration, formatValue } from './format';
import { IParameterHint, parseParameterText } from './parameters';

/** A sweep's own state: RUNNING until every member is final. */
export type SweepState = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** One member of a sweep: a normal flow run of the deployment with its own parameters. */
export interface ISweepMember {
  index: number;
  flow_run_id: string;
  parameters: Record<string, unknown>;
  /** Its run's state (`type` null: not known). */
  state: { type: string | null; name: string | null } | null;
  start_time: string | null;
  end_time: string | null;
  /** Seconds, once the member has ended. */
  duration: number | null;
  /** The member run's `record()`ed values, by name. */
  outputs: Record<string, unknown>;
}

/** `GET sweeps/{id}` (lists leave out `members`). */
export interface ISweep {
  id: string;
  deployment_id: string;
  deployment_name: string;
  created: string;
  max_parallel: number;
  state: SweepState;
  /** Members by state type. */
  counts: Record<string, number>;
  parameter_names: string[];
  output_names: string[];
  members?: ISweepMember[];
}

/** `POST deployments/{id}/sweeps`: exactly one of `grid` and `parameter_sets`. */
export interface ISweepCreate {
  grid?: Record<string, unknown[]>;
  parameter_sets?: Array<Record<string, unknown>>;
  /** Parameters every member shares (the deployment's own otherwise). */
  parameters?: Record<string, unknown>;
  max_parallel: number;
}

/** The most members at once the server accepts, and its default. */
export const MAX_PARALLEL = 64;
export const DEFAULT_PARALLEL = 4;
/** The most members one sweep may have. */
export const MAX_MEMBERS = 1000;

/** States a member never leaves on its own. */
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'];

/** Whether the sweep still has members to wait for (the table polls meanwhile). */
export function isRunning(sweep: ISweep | null): boolean {
  return !sweep || sweep.state === 'RUNNING';
}

/**
 * Whether the table should keep asking: the sweep runs, or a member has yet to reach a final
 * state (a cancelled sweep's running member passes through CANCELLING first).
 */
export function isLive(sweep: ISweep | null): boolean {
  return isRunning(sweep) || (sweep?.members ?? []).some(m => !FINAL.includes(m.state?.type ?? ''));
}

/** Members that "Retry failed" would run again: final, and not COMPLETED. */
export function retryableCount(sweep: ISweep): number {
  return (sweep.members ?? []).filter(m => FINAL.includes(m.state?.type ?? '') && m.state?.type !== 'COMPLETED').length;
}

// ---------------------------------------------------------------------------------------------
// The form: grid rows ("1, 2, 3") or a list of parameter sets (JSON), into a request body.

/**
 * The values of a grid row: its text split at commas, except commas inside quotes or brackets,
 * so `[1, 2], [3]` is two lists and `"a, b", c` two strings. Blank items are dropped.
 */
export function splitValues(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') {
        current += ch + (text[++i] ?? '');
        continue;
      }
      if (ch === quote) {
        quote = '';
      }
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if ('[{('.includes(ch)) {
      depth++;
    } else if (']})'.includes(ch)) {
      depth = Math.max(0, depth - 1);
    } else if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  items.push(current);
  return items.map(item => item.trim()).filter(item => item !== '');
}

/** One value of a grid row: a quoted item is that string; else as a parameter's text box reads it. */
export function parseGridValue(text: string, hint: IParameterHint): unknown {
  if (/^".*"$/s.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all: as typed
    }
  }
  return parseParameterText(text, hint);
}

/** A grid row of the form: a parameter, what its box held at first, what it holds now. */
export interface IGridRow {
  name: string;
  initial: string;
  text: string;
  hint: IParameterHint;
}

/** What the form sends, or why it cannot (`field`: the form field to show the message under). */
export type SweepBody = { body: ISweepCreate } | { field: string; error: string };

/**
 * The grid of the form's rows: a row with several values is swept over; a row changed to one
 * other value sets that parameter for every member; a row left as it was keeps the deployment's
 * value. At least one row must hold several values.
 */
export function gridBody(rows: IGridRow[], maxParallel: number): SweepBody {
  const grid: Record<string, unknown[]> = {};
  const parameters: Record<string, unknown> = {};
  for (const row of rows) {
    const items = splitValues(row.text);
    const values = items.map(item => parseGridValue(item, row.hint));
    if (values.length > 1) {
      grid[row.name] = values;
    } else if (values.length === 1 && row.text.trim() !== row.initial.trim()) {
      parameters[row.name] = values[0];
    }
  }
  if (Object.keys(grid).length === 0) {
    return {
      field: 'grid',
      error: 'Give at least one parameter several values, separated by commas (e.g. 1, 2, 3).'
    };
  }
  const body: ISweepCreate = { grid, max_parallel: maxParallel };
  if (Object.keys(parameters).length) {
    body.parameters = parameters;
  }
  return { body };
}

/** The form's JSON list of parameter sets, checked for shape before the server sees it. */
export function parameterSetsBody(text: string, maxParallel: number): SweepBody {
  let sets: unknown;
  try {
    sets = JSON.parse(text);
  } catch (error) {
    return { field: 'parameter_sets', error: `Not JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(sets) || sets.length === 0) {
    return { field: 'parameter_sets', error: 'A JSON list of parameter sets, e.g. [{"n": 1}, {"n": 2}].' };
  }
  const bad = sets.findIndex(set => typeof set !== 'object' || set === null || Array.isArray(set));
  if (bad >= 0) {
    return { field: 'parameter_sets', error: `Item ${bad + 1} is not an object of parameters.` };
  }
  return { body: { parameter_sets: sets as Array<Record<string, unknown>>, max_parallel: maxParallel } };
}

/** How many members a grid makes (every combination of its rows' values). */
export function memberCount(rows: IGridRow[]): number {
  return rows.reduce((n, row) => {
    const k = splitValues(row.text).length;
    return k > 1 ? n * k : n;
  }, 1);
}

// ---------------------------------------------------------------------------------------------
// The results table.

/** A column: `key` is unique (`param:n`, `output:n` may both exist); `name` is what it shows. */
export interface ISweepColumn {
  key: string;
  name: string;
  kind: 'index' | 'parameter' | 'state' | 'duration' | 'output';
}

/** The table's columns, in the API table's order: index, parameters, state, duration, outputs. */
export function sweepColumns(sweep: ISweep): ISweepColumn[] {
  return [
    { key: 'index', name: 'index', kind: 'index' },
    ...sweep.parameter_names.map(name => ({ key: `param:${name}`, name, kind: 'parameter' as const })),
    { key: 'state', name: 'state', kind: 'state' },
    { key: 'duration', name: 'duration', kind: 'duration' },
    ...sweep.output_names.map(name => ({ key: `output:${name}`, name, kind: 'output' as const }))
  ];
}

/** A member's value in a column (undefined: nothing there yet). */
export function cellValue(member: ISweepMember, column: ISweepColumn): unknown {
  switch (column.kind) {
    case 'index':
      return member.index;
    case 'parameter':
      return member.parameters[column.name];
    case 'state':
      return member.state?.type ?? undefined;
    case 'duration':
      return member.duration ?? undefined;
    case 'output':
      return member.outputs[column.name];
  }
}

/** A cell as the table shows it. */
export function formatCell(member: ISweepMember, column: ISweepColumn): string {
  if (column.kind === 'duration') {
    return member.start_time ? formatDuration(member.start_time, member.end_time) : '—';
  }
  const value = cellValue(member, column);
  return value === undefined || value === null ? '—' : formatValue(value, 60);
}

/** Two present cell values in ascending order: numbers by value and before text, text naturally. */
export function compareValues(a: unknown, b: unknown): number {
  const aNumber = typeof a === 'number' || typeof a === 'boolean';
  const bNumber = typeof b === 'number' || typeof b === 'boolean';
  if (aNumber && bNumber) {
    return Number(a) - Number(b);
  }
  if (aNumber !== bNumber) {
    return aNumber ? -1 : 1;
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return text(a).localeCompare(text(b), undefined, { numeric: true });
}

/** The table's order: by one column, ascending or descending. */
export interface ISweepSort {
  key: string;
  descending: boolean;
}

/** A click on a column's header: sort by it ascending, or flip the order if it already sorts. */
export function nextSort(sort: ISweepSort | null, key: string): ISweepSort {
  return sort && sort.key === key ? { key, descending: !sort.descending } : { key, descending: false };
}

/**
 * The members in the table's order (a new list). Members without a value in the column come
 * last either way; ties keep the members' index order.
 */
export function sortMembers(members: ISweepMember[], columns: ISweepColumn[], sort: ISweepSort | null): ISweepMember[] {
  const column = sort ? columns.find(c => c.key === sort.key) : undefined;
  const byIndex = [...members].sort((a, b) => a.index - b.index);
  if (!sort || !column) {
    return byIndex;
  }
  const sign = sort.descending ? -1 : 1;
  return byIndex.sort((a, b) => {
    const x = cellValue(a, column);
    const y = cellValue(b, column);
    const xMissing = x === undefined || x === null;
    const yMissing = y === undefined || y === null;
    if (xMissing || yMissing) {
      return Number(xMissing) - Number(yMissing);
    }
    return sign * compareValues(x, y);
  });
}

/** The sweep's progress in words: "3 of 12 completed · 2 running · 1 failed". */
export function describeCounts(sweep: ISweep): string {
  const counts = sweep.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = [`${counts.COMPLETED ?? 0} of ${total} completed`];
  for (const [type, n] of Object.entries(counts)) {
    if (type !== 'COMPLETED' && n > 0) {
      parts.push(`${n} ${type.toLowerCase()}`);
    }
  }
  return parts.join(' · ');
}
