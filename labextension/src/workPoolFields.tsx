/**
 * The schedule form's work pool section: pick a pool (from GET work_pools), set environment
 * variables as name=value rows and the pool type's other job variables, each with the pool's
 * own value as a placeholder and the server's message for it underneath.
 */
import * as React from 'react';

import { WorkPool } from './api';
import { FieldError } from './formFields';
import { IJobVariablesInput, poolVariables } from './jobVariables';
import { FieldErrors } from './scheduleFormModel';

export function WorkPoolFieldset(props: {
  pools: WorkPool[];
  pool: string;
  onPool: (name: string) => void;
  input: IJobVariablesInput;
  onInput: (input: IJobVariablesInput) => void;
  errors: FieldErrors;
}): JSX.Element {
  const { input, onInput, errors } = props;
  const names = props.pools.length ? props.pools.map(p => p.name) : ['default'];
  const pool = props.pools.find(p => p.name === props.pool);
  const base = (pool?.base_job_variables ?? {}) as Record<string, unknown>;
  const setRow = (index: number, row: [string, string]) =>
    onInput({ ...input, env: input.env.map((r, i) => (i === index ? row : r)) });
  return (
    <fieldset className="orchestr-lab-fieldset orchestr-lab-work-pool">
      <legend>Work pool and job variables</legend>
      <label className="orchestr-lab-field">
        <span>Work pool</span>
        <select
          className="jp-mod-styled"
          name="work_pool_name"
          value={props.pool}
          onChange={e => props.onPool(e.target.value)}
        >
          {names.map(name => (
            <option key={name} value={name}>
              {name}
              {props.pools.find(p => p.name === name)?.type ? ` (${props.pools.find(p => p.name === name)?.type})` : ''}
            </option>
          ))}
        </select>
        <FieldError errors={errors} field="work_pool_name" />
      </label>
      <div className="orchestr-lab-field">
        <span>Environment variables</span>
        {input.env.map(([name, value], index) => (
          <div className="orchestr-lab-env-row" key={index}>
            <input
              className="jp-mod-styled"
              name={`env-name-${index}`}
              placeholder="NAME"
              value={name}
              onChange={e => setRow(index, [e.target.value, value])}
            />
            =
            <input
              className="jp-mod-styled"
              name={`env-value-${index}`}
              placeholder="value"
              value={value}
              onChange={e => setRow(index, [name, e.target.value])}
            />
            <button
              type="button"
              className="jp-Button jp-mod-styled"
              title="Remove this variable"
              onClick={() => onInput({ ...input, env: input.env.filter((_, i) => i !== index) })}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          className="jp-Button jp-mod-styled orchestr-lab-add-env"
          onClick={() => onInput({ ...input, env: [...input.env, ['', '']] })}
        >
          Add environment variable
        </button>
        {base.env ? <small>pool's: {JSON.stringify(base.env)}</small> : null}
        <FieldError errors={errors} field="jv:env" />
      </div>
      {poolVariables(pool).map(variable => (
        <label className="orchestr-lab-field" key={variable.name}>
          <span>
            {variable.name} <code>{variable.type}</code>
          </span>
          <input
            className="jp-mod-styled"
            name={`jv:${variable.name}`}
            placeholder={base[variable.name] === undefined ? '' : `pool's: ${String(base[variable.name])}`}
            value={input.values[variable.name] ?? ''}
            onChange={e => onInput({ ...input, values: { ...input.values, [variable.name]: e.target.value } })}
          />
          {variable.description ? <small>{variable.description}</small> : null}
          <FieldError errors={errors} field={`jv:${variable.name}`} />
        </label>
      ))}
      <FieldError errors={errors} field="job_variables" />
    </fieldset>
  );
}
