/**
 * A work pool's job variables as the schedule form edits them: environment variables as
 * name=value rows, the pool type's other variables (read from its JSON schema) as text boxes,
 * and back to the `job_variables` object a deployment carries. No React here.
 */
import { WorkPool } from './api';

/** One variable a pool type takes besides `env`: its name, JSON type and description. */
export interface IJobVariable {
  name: string;
  type: string;
  description: string;
}

/** The form's job variables, as typed. */
export interface IJobVariablesInput {
  /** Environment variables, one [name, value] row each (empty rows are ignored). */
  env: Array<[string, string]>;
  /** The other variables' text boxes, by name (empty ones are not sent). */
  values: Record<string, string>;
}

export const NO_JOB_VARIABLES: IJobVariablesInput = { env: [], values: {} };

type Schema = { [key: string]: any };

/** The variables (other than `env`) the schema of `pool`'s type describes. */
export function poolVariables(pool: WorkPool | undefined): IJobVariable[] {
  const properties: Record<string, Schema> = (pool?.job_variables_schema as Schema)?.properties ?? {};
  return Object.entries(properties)
    .filter(([name]) => name !== 'env')
    .map(([name, prop]) => {
      const branches: Schema[] = (prop.anyOf ?? [prop]).filter((b: Schema) => b.type !== 'null');
      return {
        name,
        type: branches.map(b => b.type ?? 'any').join('/'),
        description: prop.description ?? branches.find(b => b.description)?.description ?? ''
      };
    });
}

/** A variable's text as the server should get it: a number for an integer one when it reads as one. */
function typedValue(text: string, variable: IJobVariable | undefined): unknown {
  const trimmed = text.trim();
  if (variable && /integer|number/.test(variable.type) && trimmed !== '' && !isNaN(Number(trimmed))) {
    return Number(trimmed);
  }
  return text;
}

/** The `job_variables` the input describes, for a pool whose other variables are `variables`. */
export function jobVariablesOf(input: IJobVariablesInput, variables: IJobVariable[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const env = input.env.filter(([name]) => name.trim() !== '');
  if (env.length) {
    out.env = Object.fromEntries(env.map(([name, value]) => [name.trim(), value]));
  }
  for (const [name, text] of Object.entries(input.values)) {
    const variable = variables.find(v => v.name === name);
    if (variable && text.trim() !== '') {
      out[name] = typedValue(text, variable);
    }
  }
  return out;
}

/** The form field a server problem at `loc` (after `job_variables`) belongs to: `jv:NAME`. */
export function jobVariableField(rest: string[]): string {
  return rest.length ? `jv:${rest[0]}` : 'job_variables';
}
