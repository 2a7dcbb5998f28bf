/**
 * The schedule form's state: what the user typed and what the server answered, as one value that
 * named actions change (a reducer), and the deployment it describes. No React here: the view
 * (scheduleForm.tsx) renders the state and dispatches actions.
 */
import { DeploymentCreate, NotebookParameter, ScheduleIn, WorkPool } from './api';
import { IJobVariablesInput, jobVariableField, jobVariablesOf, NO_JOB_VARIABLES, poolVariables } from './jobVariables';
import { parameterText, parseParameterText } from './parameters';
import { ApiError, IFieldProblem } from './request';

export type ScheduleKind = 'cron' | 'interval' | 'none';
/** Messages by field: a field's name, `param:NAME` for a parameter, 'form' for the whole form. */
export type FieldErrors = Record<string, string>;

/** The form's own fields, as typed. */
export interface IScheduleFields {
  name: string;
  kind: ScheduleKind;
  cron: string;
  interval: string;
  timezone: string;
  queue: string;
  /** The work pool ('default' unless one is picked). */
  pool: string;
  retries: string;
  timeout: string;
}

export interface IScheduleFormState {
  fields: IScheduleFields;
  /** The notebook's parameters; null while the server reads them. */
  params: NotebookParameter[] | null;
  /** Each parameter's text box, by parameter name. */
  values: Record<string, string>;
  /** The work queues the server knows, suggested for the queue field. */
  queues: string[];
  /** The work pools the server knows, with their job variables' schemas. */
  pools: WorkPool[];
  /** The deployment's job variables, as typed. */
  jobVariables: IJobVariablesInput;
  /** The schedule's next fire times, from the server. */
  preview: string[];
  /** What the server said about the schedule while previewing it. */
  previewErrors: FieldErrors;
  /** What the server said about the last submission (or reading the parameters). */
  errors: FieldErrors;
  /** A submission is under way. */
  busy: boolean;
}

/** Setting one field: `value` has that field's type. */
type FieldAction = {
  [K in keyof IScheduleFields]: { type: 'field'; field: K; value: IScheduleFields[K] };
}[keyof IScheduleFields];

export type ScheduleFormAction =
  | FieldAction
  | { type: 'parameter'; name: string; text: string }
  | { type: 'parameters'; params: NotebookParameter[]; errors?: FieldErrors }
  | { type: 'queues'; queues: string[] }
  | { type: 'pools'; pools: WorkPool[] }
  | { type: 'jobVariables'; input: IJobVariablesInput }
  | { type: 'preview'; times: string[]; errors?: FieldErrors }
  | { type: 'submit' }
  | { type: 'refused'; errors: FieldErrors }
  | { type: 'created' };

/** The browser's time zone (UTC when it does not say). */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A new form for the notebook at `path`: named after it, every day at 09:00 in the local zone. */
export function initialState(path: string): IScheduleFormState {
  const base = path.split('/').pop() ?? path;
  return {
    fields: {
      name: base.replace(/\.ipynb$/, ''),
      kind: 'cron',
      cron: '0 9 * * *',
      interval: '3600',
      timezone: localZone(),
      queue: 'default',
      pool: 'default',
      retries: '0',
      timeout: ''
    },
    params: null,
    values: {},
    queues: [],
    pools: [],
    jobVariables: NO_JOB_VARIABLES,
    preview: [],
    previewErrors: {},
    errors: {},
    busy: false
  };
}

export function scheduleFormReducer(state: IScheduleFormState, action: ScheduleFormAction): IScheduleFormState {
  switch (action.type) {
    case 'field':
      return { ...state, fields: { ...state.fields, [action.field]: action.value } };
    case 'parameter':
      return { ...state, values: { ...state.values, [action.name]: action.text } };
    case 'parameters':
      return {
        ...state,
        params: action.params,
        values: Object.fromEntries(action.params.map(p => [p.name, parameterText(p)])),
        errors: action.errors ?? state.errors
      };
    case 'queues':
      return { ...state, queues: action.queues };
    case 'pools':
      return { ...state, pools: action.pools };
    case 'jobVariables':
      return { ...state, jobVariables: action.input };
    case 'preview':
      return { ...state, preview: action.times, previewErrors: action.errors ?? {} };
    case 'submit':
      return { ...state, busy: true, errors: {} };
    case 'refused':
      return { ...state, busy: false, errors: action.errors };
    case 'created':
      return { ...state, busy: false };
  }
}

/** The schedule the fields describe (null for "No schedule"). */
export function scheduleOf(fields: IScheduleFields): ScheduleIn | null {
  const timezone = fields.timezone.trim();
  if (fields.kind === 'cron') {
    return { cron: fields.cron.trim(), timezone };
  }
  return fields.kind === 'interval' ? { interval: Number(fields.interval), timezone } : null;
}

/** The deployment the form describes: parameters only where the user changed the default. */
export function deploymentOf(state: IScheduleFormState, path: string): DeploymentCreate {
  const { fields } = state;
  const parameters: Record<string, unknown> = {};
  for (const param of state.params ?? []) {
    const text = state.values[param.name] ?? '';
    if (text !== parameterText(param)) {
      parameters[param.name] = parseParameterText(text, param);
    }
  }
  const schedule = scheduleOf(fields);
  const pool = state.pools.find(p => p.name === fields.pool);
  return {
    name: fields.name.trim(),
    notebook: path,
    parameters,
    schedules: schedule ? [schedule] : [],
    work_queue: fields.queue.trim() || 'default',
    work_pool_name: fields.pool || 'default',
    job_variables: jobVariablesOf(state.jobVariables, poolVariables(pool)) as DeploymentCreate['job_variables'],
    retries: fields.retries.trim() === '' ? 0 : Number(fields.retries),
    ...(fields.timeout.trim() ? { timeout_seconds: Number(fields.timeout) } : {})
  };
}

/** The errors to show: the last submission's over the preview's. */
export function shownErrors(state: IScheduleFormState): FieldErrors {
  return { ...state.previewErrors, ...state.errors };
}

/** Which form field a server problem belongs to ('' for the form as a whole). */
export function fieldOf(loc: Array<string | number>): string {
  const parts = loc.filter(p => typeof p === 'string') as string[];
  if (parts[0] === 'schedules') {
    const last = parts[parts.length - 1];
    return ['cron', 'interval', 'timezone'].includes(last) ? last : 'schedule';
  }
  if (parts[0] === 'job_variables') {
    return jobVariableField(parts.slice(1));
  }
  if (parts[0] === 'parameters' && parts.length > 1) {
    return `param:${parts[1]}`;
  }
  return parts[0] ?? '';
}

/** The server's error answer spread over the form's fields. */
export function fieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) {
    return { form: String((error as Error)?.message ?? error) };
  }
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => {
    const key = field || 'form';
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  };
  if (Array.isArray(error.detail)) {
    for (const problem of error.detail as IFieldProblem[]) {
      const loc = problem.loc ?? [];
      const message = String(problem.msg).replace(/^Value error, /, '');
      // An environment variable's problem names it: "1X: String should match pattern …".
      add(
        fieldOf(loc),
        loc[0] === 'job_variables' && loc[1] === 'env' && loc.length > 2 ? `${loc[2]}: ${message}` : message
      );
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
