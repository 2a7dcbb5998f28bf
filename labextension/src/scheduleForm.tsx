/**
 * "Schedule notebook…": a form that creates a deployment of one notebook.
 *
 * It is prefilled with the notebook's parameters (from the server's reading of its `parameters`
 * cell), previews the schedule in words and with the server's next fire times, and shows the
 * server's validation errors next to the field each one concerns. Its state lives in
 * scheduleFormModel.ts; here are the views and the calls to the server.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { Deployment, NotebookParameter, OrchestrApi } from './api';
import { describeSchedule, formatTime, formatValue } from './format';
import { FieldError, TextField } from './formFields';
import {
  deploymentOf,
  fieldErrors,
  FieldErrors,
  initialState,
  IScheduleFields,
  IScheduleFormState,
  localZone,
  ScheduleFormAction,
  scheduleFormReducer,
  ScheduleKind,
  scheduleOf,
  shownErrors
} from './scheduleFormModel';
import { WorkPoolFieldset } from './workPoolFields';

/** Time zones suggested besides the browser's own (any IANA name may be typed). */
const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney'
];
const KINDS: Array<[ScheduleKind, string]> = [
  ['cron', 'Cron'],
  ['interval', 'Interval'],
  ['none', 'No schedule']
];

/** Sets one of the form's fields. */
type SetField = <K extends keyof IScheduleFields>(field: K) => (value: IScheduleFields[K]) => void;

interface IFormProps {
  api: OrchestrApi;
  path: string;
  onCreated: (deployment: Deployment) => void;
  onCancel: () => void;
}

/**
 * The form's state, kept in step with the server: the notebook's parameters and the work queues
 * once, the schedule's next fire times whenever the schedule changes (debounced).
 */
function useScheduleForm(api: OrchestrApi, path: string): [IScheduleFormState, React.Dispatch<ScheduleFormAction>] {
  const [state, dispatch] = React.useReducer(scheduleFormReducer, path, initialState);

  React.useEffect(() => {
    api
      .notebookParameters(path)
      .then(answer => dispatch({ type: 'parameters', params: answer.parameters }))
      .catch(error => dispatch({ type: 'parameters', params: [], errors: fieldErrors(error) }));
    api
      .workQueues()
      .then(list => dispatch({ type: 'queues', queues: list.map(q => q.name) }))
      .catch(() => dispatch({ type: 'queues', queues: [] }));
    api
      .workPools()
      .then(pools => dispatch({ type: 'pools', pools }))
      .catch(() => dispatch({ type: 'pools', pools: [] }));
  }, [api, path]);

  const schedule = scheduleOf(state.fields);
  const scheduleKey = JSON.stringify(schedule);
  React.useEffect(() => {
    if (!schedule) {
      dispatch({ type: 'preview', times: [] });
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      api
        .previewSchedule(schedule, 3)
        .then((answer): ScheduleFormAction => ({ type: 'preview', times: answer.next_runs }))
        .catch((error): ScheduleFormAction => ({ type: 'preview', times: [], errors: fieldErrors(error) }))
        .then(action => {
          if (!cancelled) {
            dispatch(action);
          }
        });
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [api, scheduleKey]);

  return [state, dispatch];
}

function ScheduleForm(props: IFormProps): JSX.Element {
  const { api, path } = props;
  const [state, dispatch] = useScheduleForm(api, path);
  const set: SetField = field => value => dispatch({ type: 'field', field, value } as ScheduleFormAction);
  const errors = shownErrors(state);

  const submit = async () => {
    dispatch({ type: 'submit' });
    try {
      const deployment = await api.createDeployment(deploymentOf(state, path));
      dispatch({ type: 'created' });
      props.onCreated(deployment);
    } catch (error) {
      dispatch({ type: 'refused', errors: fieldErrors(error) });
    }
  };

  return (
    <form
      className="orchestr-lab-schedule-form"
      onSubmit={event => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>Schedule {path}</h2>
      <FieldError errors={errors} field="form" />
      <TextField label="Deployment name" name="name" value={state.fields.name} onChange={set('name')} errors={errors} />
      <ParametersFieldset
        params={state.params}
        values={state.values}
        errors={errors}
        onChange={(name, text) => dispatch({ type: 'parameter', name, text })}
      />
      <ScheduleFieldset fields={state.fields} preview={state.preview} errors={errors} set={set} />
      <ExecutionFieldset fields={state.fields} queues={state.queues} errors={errors} set={set} />
      <WorkPoolFieldset
        pools={state.pools}
        pool={state.fields.pool}
        onPool={set('pool')}
        input={state.jobVariables}
        onInput={input => dispatch({ type: 'jobVariables', input })}
        errors={errors}
      />
      <div className="orchestr-lab-actions">
        <button
          type="submit"
          className="jp-Button jp-mod-styled jp-mod-accept"
          disabled={state.busy || state.params === null}
        >
          Create deployment
        </button>
        <button type="button" className="jp-Button jp-mod-styled jp-mod-reject" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The notebook's parameters, each a text box (a checkbox for a `bool`) starting at its default. */
function ParametersFieldset(props: {
  params: NotebookParameter[] | null;
  values: Record<string, string>;
  errors: FieldErrors;
  onChange: (name: string, text: string) => void;
}): JSX.Element {
  const { params } = props;
  return (
    <fieldset className="orchestr-lab-fieldset">
      <legend>Parameters</legend>
      {params === null ? (
        <p className="orchestr-lab-empty">Reading the notebook's parameters…</p>
      ) : params.length === 0 ? (
        <p className="orchestr-lab-empty">
          This notebook has no cell tagged <code>parameters</code>; runs use it as it is.
        </p>
      ) : (
        params.map(param => (
          <ParameterField
            key={param.name}
            param={param}
            text={props.values[param.name] ?? ''}
            errors={props.errors}
            onChange={text => props.onChange(param.name, text)}
          />
        ))
      )}
      <FieldError errors={props.errors} field="parameters" />
    </fieldset>
  );
}

function ParameterField(props: {
  param: NotebookParameter;
  text: string;
  errors: FieldErrors;
  onChange: (text: string) => void;
}): JSX.Element {
  const { param } = props;
  const name = `param:${param.name}`;
  return (
    <label className="orchestr-lab-field orchestr-lab-param" data-parameter={param.name}>
      <span>
        {param.name} <code>{param.type ?? 'any'}</code>
      </span>
      {(param.type ?? '').toLowerCase() === 'bool' ? (
        <input
          type="checkbox"
          name={name}
          checked={props.text === 'true'}
          onChange={e => props.onChange(String(e.target.checked))}
        />
      ) : (
        <input
          className="jp-mod-styled"
          name={name}
          value={props.text}
          onChange={e => props.onChange(e.target.value)}
        />
      )}
      <small>
        default {formatValue(param.default, 40)}
        {param.help ? ` — ${param.help}` : ''}
      </small>
      <FieldError errors={props.errors} field={name} />
    </label>
  );
}

/** Cron, interval or none; the time zone; the schedule in words and its next fire times. */
function ScheduleFieldset(props: {
  fields: IScheduleFields;
  preview: string[];
  errors: FieldErrors;
  set: SetField;
}): JSX.Element {
  const { fields, errors, set } = props;
  const schedule = scheduleOf(fields);
  const words = schedule ? describeSchedule(schedule) : 'Runs only when started by hand (Run now).';
  return (
    <fieldset className="orchestr-lab-fieldset">
      <legend>Schedule</legend>
      <div className="orchestr-lab-kinds" role="radiogroup">
        {KINDS.map(([kind, label]) => (
          <label key={kind}>
            <input
              type="radio"
              name="kind"
              value={kind}
              checked={fields.kind === kind}
              onChange={() => set('kind')(kind)}
            />
            {label}
          </label>
        ))}
      </div>
      {fields.kind === 'cron' ? (
        <TextField
          label="Cron expression"
          name="cron"
          value={fields.cron}
          onChange={set('cron')}
          errors={errors}
          placeholder="minute hour day-of-month month day-of-week"
        />
      ) : null}
      {fields.kind === 'interval' ? (
        <TextField
          label="Every (seconds)"
          name="interval"
          type="number"
          min={1}
          value={fields.interval}
          onChange={set('interval')}
          errors={errors}
        />
      ) : null}
      {fields.kind !== 'none' ? (
        <TextField
          label="Time zone"
          name="timezone"
          value={fields.timezone}
          onChange={set('timezone')}
          errors={errors}
          suggestions={[localZone(), ...ZONES.filter(z => z !== localZone())]}
        />
      ) : null}
      <div className="orchestr-lab-preview" aria-live="polite">
        <div className="orchestr-lab-preview-words">{words}</div>
        {props.preview.length ? (
          <div className="orchestr-lab-preview-times">
            Next: {props.preview.map(t => formatTime(t, schedule?.timezone)).join(' · ')}
          </div>
        ) : null}
      </div>
      <FieldError errors={errors} field="schedule" />
    </fieldset>
  );
}

/** Where and how runs execute: the work queue, retries, the timeout. */
function ExecutionFieldset(props: {
  fields: IScheduleFields;
  queues: string[];
  errors: FieldErrors;
  set: SetField;
}): JSX.Element {
  const { fields, errors, set } = props;
  return (
    <fieldset className="orchestr-lab-fieldset">
      <legend>Execution</legend>
      <TextField
        label="Work queue"
        name="work_queue"
        value={fields.queue}
        onChange={set('queue')}
        errors={errors}
        suggestions={props.queues}
      />
      <TextField
        label="Retries"
        name="retries"
        type="number"
        min={0}
        value={fields.retries}
        onChange={set('retries')}
        errors={errors}
      />
      <TextField
        label="Timeout (seconds, empty for none)"
        name="timeout_seconds"
        type="number"
        min={1}
        value={fields.timeout}
        onChange={set('timeout')}
        errors={errors}
      />
    </fieldset>
  );
}

/** The form as a main-area panel's content. */
export class ScheduleFormWidget extends ReactWidget {
  constructor(private readonly _props: IFormProps) {
    super();
    this.addClass('orchestr-lab-schedule');
  }

  protected render(): JSX.Element {
    return <ScheduleForm {...this._props} />;
  }
}
