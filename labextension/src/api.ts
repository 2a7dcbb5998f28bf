/**
 * A typed client for the routes the sidebar uses; field names follow core/schemas.py.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { API_PREFIX, requestAPI } from './request';

export type StateType =
  | 'SCHEDULED'
  | 'PENDING'
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELLED'
  | 'CRASHED'
  | 'PAUSED';

export const STATE_TYPES: StateType[] = [
  'SCHEDULED',
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
  'CRASHED',
  'PAUSED'
];

/** States a run never leaves on its own. */
export const FINAL_STATES: StateType[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'];

export interface IState {
  type: StateType;
  name: string;
  message?: string | null;
  timestamp?: string | null;
}

export interface IHealth {
  status: string;
  version: string;
  services: Record<string, boolean>;
}

export interface INotebookParameter {
  name: string;
  type?: string | null;
  default?: unknown;
  help?: string | null;
}

export interface IScheduleIn {
  cron?: string;
  interval?: number;
  timezone: string;
}

export interface ISchedule extends IScheduleIn {
  id: string;
  active: boolean;
  anchor?: string | null;
  parameters: Record<string, unknown>;
}

export interface IDeploymentCreate {
  name: string;
  notebook: string;
  parameters: Record<string, unknown>;
  schedules: IScheduleIn[];
  work_queue: string;
  retries: number;
  timeout_seconds?: number;
}

export interface IDeployment {
  id: string;
  name: string;
  notebook?: string | null;
  entrypoint?: string | null;
  parameters: Record<string, unknown>;
  schedules: ISchedule[];
  work_queue: string;
  retries: number;
  timeout_seconds?: number | null;
  paused: boolean;
  next_runs: string[];
  last_run?: { id?: string; state?: IState | StateType | null; [key: string]: unknown } | null;
}

export interface IFlowRun {
  id: string;
  name: string;
  flow_name?: string | null;
  deployment_id?: string | null;
  parameters: Record<string, unknown>;
  state?: IState | null;
  start_time?: string | null;
  end_time?: string | null;
  scheduled_start_time?: string | null;
  created?: string | null;
  run_count: number;
  recorded: Record<string, unknown>;
  notebook?: string | null;
  output_notebook?: string | null;
  worker?: { name?: string | null; type?: string | null };
  /** A FAILED notebook run whose kernel state was saved: the failing cell, where a retry may resume. */
  resume_cell?: number | null;
}

export interface ITaskRun {
  id: string;
  name: string;
  task_key?: string | null;
  state?: IState | null;
  start_time?: string | null;
  end_time?: string | null;
  run_count: number;
}

export interface ILogLine {
  id: number;
  task_run_id?: string | null;
  level: number;
  message: string;
  timestamp?: string | null;
}

export interface IRecorded {
  id: number;
  name: string;
  value?: unknown;
  repr: string;
}

export interface IEvent {
  id: number;
  occurred: string;
  kind: string;
  resource_id?: string | null;
  payload: Record<string, any>;
}

export interface IWorkQueue {
  name: string;
  paused: boolean;
}

/** The REST API, bound to one server's settings. */
export class OrchestrApi {
  constructor(readonly settings: ServerConnection.ISettings) {}

  health(): Promise<IHealth> {
    return requestAPI(this.settings, ['health']);
  }

  notebookParameters(path: string): Promise<{ parameters: INotebookParameter[] }> {
    return requestAPI(this.settings, ['notebooks', 'parameters'], { query: { path } });
  }

  deployments(): Promise<IDeployment[]> {
    return requestAPI(this.settings, ['deployments']);
  }

  createDeployment(body: IDeploymentCreate): Promise<IDeployment> {
    return requestAPI(this.settings, ['deployments'], { method: 'POST', body });
  }

  pause(id: string): Promise<IDeployment> {
    return requestAPI(this.settings, ['deployments', id, 'pause'], { method: 'POST' });
  }

  resume(id: string): Promise<IDeployment> {
    return requestAPI(this.settings, ['deployments', id, 'resume'], { method: 'POST' });
  }

  runDeployment(id: string, parameters: Record<string, unknown> = {}): Promise<IFlowRun> {
    return requestAPI(this.settings, ['deployments', id, 'runs'], { method: 'POST', body: { parameters } });
  }

  previewSchedule(schedule: IScheduleIn, n = 5): Promise<{ next_runs: string[] }> {
    return requestAPI(this.settings, ['schedules', 'preview'], { method: 'POST', body: { ...schedule, n } });
  }

  flowRuns(filter: { state?: string; deployment_id?: string; limit?: number } = {}): Promise<{
    items: IFlowRun[];
    total: number;
  }> {
    return requestAPI(this.settings, ['flow_runs'], { query: { limit: 50, ...filter } });
  }

  flowRun(id: string): Promise<IFlowRun> {
    return requestAPI(this.settings, ['flow_runs', id]);
  }

  cancel(id: string): Promise<IFlowRun> {
    return requestAPI(this.settings, ['flow_runs', id, 'cancel'], { method: 'POST' });
  }

  /** Run again from the top; or, with `fromFailedCell`, resume at the run's `resume_cell`. */
  retry(id: string, fromFailedCell = false): Promise<IFlowRun> {
    // No body for the plain retry: the request stays what it always was.
    const body = fromFailedCell ? { from_failed_cell: true } : undefined;
    return requestAPI(this.settings, ['flow_runs', id, 'retry'], { method: 'POST', body });
  }

  taskRuns(id: string): Promise<ITaskRun[]> {
    return requestAPI(this.settings, ['flow_runs', id, 'task_runs']);
  }

  logs(id: string): Promise<ILogLine[]> {
    return requestAPI(this.settings, ['flow_runs', id, 'logs']);
  }

  recorded(id: string): Promise<IRecorded[]> {
    return requestAPI(this.settings, ['flow_runs', id, 'recorded']);
  }

  outputNotebook(id: string): Promise<any> {
    return requestAPI(this.settings, ['flow_runs', id, 'notebook']);
  }

  workQueues(): Promise<IWorkQueue[]> {
    return requestAPI(this.settings, ['work_queues']);
  }

  /** The WebSocket URL of the live event stream (from `after` when given). */
  streamUrl(after: number | null): string {
    let url = URLExt.join(this.settings.wsUrl, API_PREFIX, 'events', 'stream');
    const query: Record<string, string> = {};
    if (after !== null) {
      query.after = String(after);
    }
    if (this.settings.token) {
      query.token = this.settings.token;
    }
    return url + URLExt.objectToQueryString(query);
  }
}
