/**
 * "Schedule notebook…": a form that creates a deployment of one notebook.
 *
 * It is prefilled with the notebook's parameters (from the server's reading of its `parameters`
 * cell), previews the schedule in words and with the server's next fire times, and shows the
 * server's validation errors next to the field each one concerns.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { Deployment, NotebookParameter, ScheduleIn, OrchestrApi } from './api';
import { formatTime, formatValue, describeSchedule } from './format';
import { ApiError, IFieldProblem } from './request';

type Kind = 'cron' | 'interval' | 'none';
type Errors = Record<string, string>;

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

function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function stem(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.ipynb$/, '');
}

/** The value a parameter's text box holds, in the parameter's declared type. */
function typed(text: string, param: NotebookParameter): unknown {
  const type = (param.type ?? '').toLowerCase();
  if (type === 'str' || (type === '' && typeof param.default === 'string')) {
    return text;
  }
  if (type === 'bool') {
    return text === 'true';
  }
  try {
    return JSON.parse(text);
  } catch {
    return text; // the server says what is wrong with it, next to the field
  }
}

function initialText(param: NotebookParameter): string {
  return typeof param.default === 'string' ? param.default : JSON.stringify(param.default ?? null);
}

/** Which form field a server problem belongs to ('' for the form as a whole). */
export function fieldOf(loc: Array<string | number>): string {
  const parts = loc.filter(p => typeof p === 'string') as string[];
  if (parts[0] === 'schedules') {
    const last = parts[parts.length - 1];
    return ['cron', 'interval', 'timezone'].includes(last) ? last : 'schedule';
  }
  if (parts[0] === 'parameters' && parts.length > 1) {
    return `param:${parts[1]}`;
  }
  return parts[0] ?? '';
}

/** The server's error answer spread over the form's fields. */
export function fieldErrors(error: unknown): Errors {
  if (!(error instanceof ApiError)) {
    return { form: String((error as Error)?.message ?? error) };
  }
  const errors: Errors = {};
  const add = (field: string, message: string) => {
    const key = field || 'form';
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  };
  if (Array.isArray(error.detail)) {
    for (const problem of error.detail as IFieldProblem[]) {
      add(fieldOf(problem.loc ?? []), String(problem.msg).replace(/^Value error, /, ''));
    }
  } else if (error.detail && typeof error.detail === 'object') {
    // Notebook parameters: {name: message}
    for (const [name, message] of Object.entries(error.detail as Record<string, unknown>)) {
      add(`param:${name}`, String(message));
    }
  } else if (error.status === 409) {
    add('name', error.message);
  } else if (/cron/i.test(error.message)) {
    add('cron', error.message);
  } else if (/time ?zone/i.test(error.message)) {
    add('timezone', error.message);
  } else {
    add('form', error.message);
  }
  return errors;
}

function FieldError(props: { errors: Errors; field: string }): JSX.Element | null {
  const message = props.errors[props.field];
  return message ? (
    <div className="orchestr-lab-field-error" data-field={props.field} role="alert">
      {message}
    </div>
  ) : null;
}

/** A labelled text box with a suggestion list and the server's error for it underneath. */
function TextField(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  errors: Errors;
  type?: 'text' | 'number';
  min?: number;
  placeholder?: string;
  suggestions?: string[];
}): JSX.Element {
  const listId = props.suggestions ? `orchestr-lab-${props.name}-choices` : undefined;
  return (
    <label className="orchestr-lab-field">
      <span>{props.label}</span>
      <input
        className="jp-mod-styled"
        name={props.name}
        type={props.type ?? 'text'}
        min={props.min}
        list={listId}
        placeholder={props.placeholder}
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
      />
      {props.suggestions ? (
        <datalist id={listId}>
          {props.suggestions.map(v => (
            <option key={v} value={v} />
          ))}
        </datalist>
      ) : null}
      <FieldError errors={props.errors} field={props.name} />
    </label>
  );
}

interface IFormProps {
  api: OrchestrApi;
  path: string;
  onCreated: (deployment: Deployment) => void;
  onCancel: () => void;
}

function ScheduleForm(props: IFormProps): JSX.Element {
  const { api, path } = props;
  const [name, setName] = React.useState(stem(path));
  const [params, setParams] = React.useState<NotebookParameter[] | null>(null);
  const [values, setValues] = React.useState<Record<string, string>>({});
  const [kind, setKind] = React.useState<Kind>('cron');
  const [cron, setCron] = React.useState('0 9 * * *');
  const [interval, setIntervalText] = React.useState('3600');
  const [timezone, setTimezone] = React.useState(localZone());
  const [queue, setQueue] = React.useState('default');
  const [queues, setQueues] = React.useState<string[]>([]);
  const [retries, setRetries] = React.useState('0');
  const [timeout, setTimeoutText] = React.useState('');
  const [preview, setPreview] = React.useState<string[]>([]);
  const [previewError, setPreviewError] = React.useState<Errors>({});
  const [errors, setErrors] = React.useState<Errors>({});
  const [busy, setBusy] = React.useState(false);

  React.useEffect(() => {
    api
      .notebookParameters(path)
      .then(answer => {
        setParams(answer.parameters);
        setValues(Object.fromEntries(answer.parameters.map(p => [p.name, initialText(p)])));
      })
      .catch(error => {
        setParams([]);
        setErrors(fieldErrors(error));
      });
    api
      .workQueues()
      .then(list => setQueues(list.map(q => q.name)))
      .catch(() => setQueues([]));
  }, [api, path]);

  const schedule: ScheduleIn | null =
    kind === 'cron'
      ? { cron: cron.trim(), timezone: timezone.trim() }
      : kind === 'interval'
        ? { interval: Number(interval), timezone: timezone.trim() }
        : null;

  // The server's next fire times, re-asked (debounced) whenever the schedule changes.
  const scheduleKey = JSON.stringify(schedule);
  React.useEffect(() => {
    if (!schedule) {
      setPreview([]);
      setPreviewError({});
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      api
        .previewSchedule(schedule, 3)
        .then(answer => {
          if (!cancelled) {
            setPreview(answer.next_runs);
            setPreviewError({});
          }
        })
        .catch(error => {
          if (!cancelled) {
            setPreview([]);
            setPreviewError(fieldErrors(error));
          }
        });
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [api, scheduleKey]);

  const submit = async () => {
    setBusy(true);
    setErrors({});
    const parameters: Record<string, unknown> = {};
    for (const param of params ?? []) {
      const text = values[param.name] ?? '';
      if (text !== initialText(param)) {
        parameters[param.name] = typed(text, param);
      }
    }
    try {
      const deployment = await api.createDeployment({
        name: name.trim(),
        notebook: path,
        parameters,
        schedules: schedule ? [schedule] : [],
        work_queue: queue.trim() || 'default',
        retries: retries.trim() === '' ? 0 : Number(retries),
        ...(timeout.trim() ? { timeout_seconds: Number(timeout) } : {})
      });
      props.onCreated(deployment);
    } catch (error) {
      setErrors(fieldErrors(error));
    } finally {
      setBusy(false);
    }
  };

  const shown: Errors = { ...previewError, ...errors };
  const words = schedule ? describeSchedule(schedule) : 'Runs only when started by hand (Run now).';

  return (
    <form
      className="orchestr-lab-schedule-form"
      onSubmit={event => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>Schedule {path}</h2>
      <FieldError errors={shown} field="form" />
      <TextField label="Deployment name" name="name" value={name} onChange={setName} errors={shown} />

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
            <label key={param.name} className="orchestr-lab-field orchestr-lab-param" data-parameter={param.name}>
              <span>
                {param.name} <code>{param.type ?? 'any'}</code>
              </span>
              {(param.type ?? '').toLowerCase() === 'bool' ? (
                <input
                  type="checkbox"
                  name={`param:${param.name}`}
                  checked={values[param.name] === 'true'}
                  onChange={e => setValues({ ...values, [param.name]: String(e.target.checked) })}
                />
              ) : (
                <input
                  className="jp-mod-styled"
                  name={`param:${param.name}`}
                  value={values[param.name] ?? ''}
                  onChange={e => setValues({ ...values, [param.name]: e.target.value })}
                />
              )}
              <small>
                default {formatValue(param.default, 40)}
                {param.help ? ` — ${param.help}` : ''}
              </small>
              <FieldError errors={shown} field={`param:${param.name}`} />
            </label>
          ))
        )}
        <FieldError errors={shown} field="parameters" />
      </fieldset>

      <fieldset className="orchestr-lab-fieldset">
        <legend>Schedule</legend>
        <div className="orchestr-lab-kinds" role="radiogroup">
          {(['cron', 'interval', 'none'] as Kind[]).map(k => (
            <label key={k}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {k === 'cron' ? 'Cron' : k === 'interval' ? 'Interval' : 'No schedule'}
            </label>
          ))}
        </div>
        {kind === 'cron' ? (
          <TextField
            label="Cron expression"
            name="cron"
            value={cron}
            onChange={setCron}
            errors={shown}
            placeholder="minute hour day-of-month month day-of-week"
          />
        ) : null}
        {kind === 'interval' ? (
          <TextField
            label="Every (seconds)"
            name="interval"
            type="number"
            min={1}
            value={interval}
            onChange={setIntervalText}
            errors={shown}
          />
        ) : null}
        {kind !== 'none' ? (
          <TextField
            label="Time zone"
            name="timezone"
            value={timezone}
            onChange={setTimezone}
            errors={shown}
            suggestions={[localZone(), ...ZONES.filter(z => z !== localZone())]}
          />
        ) : null}
        <div className="orchestr-lab-preview" aria-live="polite">
          <div className="orchestr-lab-preview-words">{words}</div>
          {preview.length ? (
            <div className="orchestr-lab-preview-times">
              Next: {preview.map(t => formatTime(t, schedule?.timezone)).join(' · ')}
            </div>
          ) : null}
        </div>
        <FieldError errors={shown} field="schedule" />
      </fieldset>

      <fieldset className="orchestr-lab-fieldset">
        <legend>Execution</legend>
        <TextField
          label="Work queue"
          name="work_queue"
          value={queue}
          onChange={setQueue}
          errors={shown}
          suggestions={queues}
        />
        <TextField
          label="Retries"
          name="retries"
          type="number"
          min={0}
          value={retries}
          onChange={setRetries}
          errors={shown}
        />
        <TextField
          label="Timeout (seconds, empty for none)"
          name="timeout_seconds"
          type="number"
          min={1}
          value={timeout}
          onChange={setTimeoutText}
          errors={shown}
        />
      </fieldset>

      <div className="orchestr-lab-actions">
        <button type="submit" className="jp-Button jp-mod-styled jp-mod-accept" disabled={busy || params === null}>
          Create deployment
        </button>
        <button type="button" className="jp-Button jp-mod-styled jp-mod-reject" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
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
