/**
 * The "Sweep…" form of a deployment row: one row per parameter holding comma-separated values
 * (every combination is a member), or a list of parameter sets as JSON, and how many members
 * may run at once. It sends `POST deployments/{id}/sweeps`; the server's refusal is shown under
 * the field it names (or above the button).
 */
import * as React from 'react';

import { Deployment, OrchestrApi } from './api';
import { ActionButton } from './components';
import { FieldError } from './formFields';
import { parameterText } from './parameters';
import { ApiError, IFieldProblem } from './request';
import { FieldErrors } from './scheduleFormModel';
import {
  DEFAULT_PARALLEL,
  gridBody,
  IGridRow,
  ISweep,
  MAX_MEMBERS,
  MAX_PARALLEL,
  memberCount,
  parameterSetsBody
} from './sweepModel';
import { sweepRequests } from './sweepTable';

type Mode = 'grid' | 'sets';

/** The form field a server problem belongs to ('form' when none fits). */
function fieldOfProblem(loc: Array<string | number>): string {
  const [head, name] = loc;
  if ((head === 'grid' || head === 'parameters') && typeof name === 'string') {
    return `grid:${name}`;
  }
  return head === 'max_parallel' || head === 'parameter_sets' || head === 'grid' ? head : 'form';
}

/** The server's refusal spread over the form's fields; its message stays whole above the button. */
export function sweepErrors(error: unknown): FieldErrors {
  const errors: FieldErrors = { form: String((error as Error)?.message ?? error) };
  if (!(error instanceof ApiError)) {
    return errors;
  }
  const add = (field: string, message: string) => {
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  };
  if (Array.isArray(error.detail)) {
    for (const problem of error.detail as IFieldProblem[]) {
      const field = fieldOfProblem(problem.loc ?? []);
      if (field !== 'form') {
        add(field, String(problem.msg).replace(/^Value error, /, ''));
      }
    }
  } else if (error.detail && typeof error.detail === 'object') {
    // Parameters the notebook refuses: {name: message}.
    for (const [name, message] of Object.entries(error.detail as Record<string, unknown>)) {
      add(`grid:${name}`, String(message));
    }
  }
  if (Object.keys(errors).length > 1) {
    delete errors.form; // each problem is under its field
  }
  return errors;
}

/** The form's grid rows: the notebook's parameters and the deployment's, at the deployment's values. */
function gridRows(values: Record<string, unknown>, types: Record<string, string | null | undefined>): IGridRow[] {
  return Object.entries(values).map(([name, value]) => {
    const hint = { type: types[name], default: value };
    const text = parameterText(hint);
    return { name, initial: text, text, hint };
  });
}

export function SweepForm(props: {
  api: OrchestrApi;
  deployment: Deployment;
  onCreated: (sweep: ISweep) => void;
  onCancel: () => void;
}): JSX.Element {
  const { api, deployment: dep } = props;
  const [mode, setMode] = React.useState<Mode>('grid');
  const [rows, setRows] = React.useState<IGridRow[]>(() => gridRows(dep.parameters, {}));
  const [sets, setSets] = React.useState(() => JSON.stringify([dep.parameters], null, 1));
  const [parallel, setParallel] = React.useState(String(DEFAULT_PARALLEL));
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [busy, setBusy] = React.useState(false);

  // Every parameter the notebook takes, not only those the deployment sets (read once: the
  // sidebar's refreshes hand a new deployment object, which must not reset what was typed).
  const { id, notebook, parameters } = dep;
  const initialParameters = React.useRef(parameters);
  React.useEffect(() => {
    if (!notebook) {
      return;
    }
    let live = true;
    api
      .notebookParameters(notebook)
      .then(answer => {
        if (live) {
          const defaults = Object.fromEntries(answer.parameters.map(p => [p.name, p.default]));
          const types = Object.fromEntries(answer.parameters.map(p => [p.name, p.type]));
          const typed = (row: IGridRow) => row.text !== row.initial;
          setRows(current =>
            gridRows({ ...defaults, ...initialParameters.current }, types).map(row => {
              const kept = current.find(r => r.name === row.name && typed(r));
              return kept ? { ...row, text: kept.text } : row;
            })
          );
        }
      })
      .catch(() => undefined); // the deployment's own parameters are rows enough
    return () => {
      live = false;
    };
  }, [api, id, notebook]);

  const count = mode === 'grid' ? memberCount(rows) : null;
  const submit = async () => {
    const maxParallel = Number(parallel);
    const built = mode === 'grid' ? gridBody(rows, maxParallel) : parameterSetsBody(sets, maxParallel);
    if ('error' in built) {
      setErrors({ [built.field]: built.error });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      props.onCreated(await sweepRequests.create(api.settings, id, built.body));
    } catch (error) {
      setErrors(sweepErrors(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="orchestr-lab-sweep-form"
      noValidate
      data-mode={mode}
      onSubmit={event => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="orchestr-lab-sweep-modes" role="radiogroup" aria-label="Sweep over">
        {(
          [
            ['grid', 'Grid of values'],
            ['sets', 'Parameter sets (JSON)']
          ] as Array<[Mode, string]>
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name={`sweep-mode-${id}`}
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
            />{' '}
            {label}
          </label>
        ))}
      </div>
      {mode === 'grid' ? (
        <div className="orchestr-lab-sweep-grid">
          {rows.length === 0 ? <p className="orchestr-lab-empty">This deployment takes no parameters.</p> : null}
          {rows.map((row, i) => (
            <label key={row.name} className="orchestr-lab-field orchestr-lab-sweep-grid-row" data-parameter={row.name}>
              <span>{row.name}</span>
              <input
                className="jp-mod-styled"
                name={`grid-${row.name}`}
                placeholder="values, separated by commas"
                value={row.text}
                onChange={event => setRows(rows.map((r, j) => (j === i ? { ...r, text: event.target.value } : r)))}
              />
              <FieldError errors={errors} field={`grid:${row.name}`} />
            </label>
          ))}
          <FieldError errors={errors} field="grid" />
          <div className="orchestr-lab-sweep-count" data-count={count ?? ''}>
            {count} member{count === 1 ? '' : 's'}
            {count !== null && count > MAX_MEMBERS ? ` (at most ${MAX_MEMBERS})` : ''}
          </div>
        </div>
      ) : (
        <label className="orchestr-lab-field">
          <span>Parameter sets</span>
          <small>A JSON list of objects, one member each: [{'{"n": 1}, {"n": 2}'}]</small>
          <textarea
            className="jp-mod-styled orchestr-lab-sweep-sets"
            name="parameter_sets"
            rows={6}
            value={sets}
            onChange={event => setSets(event.target.value)}
          />
          <FieldError errors={errors} field="parameter_sets" />
        </label>
      )}
      <label className="orchestr-lab-field">
        <span>Max parallel</span>
        <input
          className="jp-mod-styled"
          name="max_parallel"
          type="number"
          min={1}
          max={MAX_PARALLEL}
          value={parallel}
          onChange={event => setParallel(event.target.value)}
        />
        <FieldError errors={errors} field="max_parallel" />
      </label>
      <FieldError errors={errors} field="form" />
      <div className="orchestr-lab-actions">
        <button
          type="submit"
          className="jp-Button jp-mod-styled jp-mod-accept"
          data-action="start-sweep"
          disabled={busy}
        >
          Start sweep
        </button>
        <ActionButton label="Cancel" title="Close this form" onClick={props.onCancel} />
      </div>
    </form>
  );
}
