/**
 * A typed client for the routes the sidebar uses.
 *
 * The types come from the server's OpenAPI document (src/openapi.ts is generated from it by
 * `jlpm generate:api`; a test fails when it is stale), so they cannot drift from the REST API.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import type { components } from './openapi';
import { API_PREFIX, requestAPI } from './request';

type Schemas = components['schemas'];

/** An answer: pydantic writes every field of the model, so none is missing. */
type Answer<T> = Required<T>;
/** A request body: the fields the server requires (`K`); the others have server defaults. */
type Body<T, K extends keyof T = never> = Pick<T, K> & Partial<Omit<T, K>>;

export type StateType = Schemas['StateType'];

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

export type State = Answer<Schemas['StateRead']>;
export type Health = Answer<Schemas['HealthRead']>;
export type NotebookParameter = Answer<Schemas['NotebookParameter']>;
export type ScheduleIn = Body<Schemas['ScheduleIn']>;
export type Schedule = Answer<Schemas['ScheduleRead']>;
export type DeploymentCreate = Body<Omit<Schemas['DeploymentCreate'], 'schedules'>, 'name'> & {
  schedules?: ScheduleIn[];
};
export type Deployment = Answer<Schemas['DeploymentRead']>;
export type FlowRun = Answer<Schemas['FlowRunRead']>;
export type TaskRun = Answer<Schemas['TaskRunRead']>;
export type LogLine = Answer<Schemas['LogRead']>;
export type Recorded = Answer<Schemas['RecordedRead']>;
export type ServerEvent = Answer<Schemas['EventRead']>;
export type WorkQueue = Answer<Schemas['WorkQueueRead']>;
export type WorkPool = Answer<Schemas['WorkPoolRead']>;
/**
 * A page of runs; `next_cursor` (when the server gives one) asks for the page after it, and
 * `total_exact: false` says `total` was counted only up to a cap.
 */
export type RunPage = { items: FlowRun[]; total: number; next_cursor?: string | null; total_exact?: boolean };
/** Where a page starts: an offset, or the cursor the previous page answered with. */
export type PageStart = { limit: number; offset?: number; cursor?: string };

/** The REST API, bound to one server's settings. */
export class OrchestrApi {
  constructor(readonly settings: ServerConnection.ISettings) {}

  health(): Promise<Health> {
    return requestAPI(this.settings, ['health']);
  }

  notebookParameters(path: string): Promise<Answer<Schemas['NotebookParameters']>> {
    return requestAPI(this.settings, ['notebooks', 'parameters'], { query: { path } });
  }

  /** Deployments by name; a page of them when `page` is given. */
  deployments(page?: PageStart): Promise<Deployment[]> {
    return requestAPI(this.settings, ['deployments'], { query: page });
  }

  deployment(id: string): Promise<Deployment> {
    return requestAPI(this.settings, ['deployments', id]);
  }

  createDeployment(body: DeploymentCreate): Promise<Deployment> {
    return requestAPI(this.settings, ['deployments'], { method: 'POST', body });
  }

  pause(id: string): Promise<Deployment> {
    return requestAPI(this.settings, ['deployments', id, 'pause'], { method: 'POST' });
  }

  resume(id: string): Promise<Deployment> {
    return requestAPI(this.settings, ['deployments', id, 'resume'], { method: 'POST' });
  }

  runDeployment(id: string, parameters: Record<string, unknown> = {}): Promise<FlowRun> {
    return requestAPI(this.settings, ['deployments', id, 'runs'], { method: 'POST', body: { parameters } });
  }

  previewSchedule(schedule: ScheduleIn, n = 5): Promise<Answer<Schemas['NextRunsRead']>> {
    return requestAPI(this.settings, ['schedules', 'preview'], { method: 'POST', body: { ...schedule, n } });
  }

  flowRuns(
    filter: { state?: string; deployment_id?: string; limit?: number; offset?: number; cursor?: string } = {}
  ): Promise<RunPage> {
    return requestAPI(this.settings, ['flow_runs'], { query: { limit: 50, ...filter } });
  }

  flowRun(id: string): Promise<FlowRun> {
    return requestAPI(this.settings, ['flow_runs', id]);
  }

  cancel(id: string): Promise<FlowRun> {
    return requestAPI(this.settings, ['flow_runs', id, 'cancel'], { method: 'POST' });
  }

  /** Run again from the top; or, with `fromFailedCell`, resume at the run's `resume_cell`. */
  retry(id: string, fromFailedCell = false): Promise<FlowRun> {
    // No body for the plain retry: the request stays what it always was.
    const body = fromFailedCell ? { from_failed_cell: true } : undefined;
    return requestAPI(this.settings, ['flow_runs', id, 'retry'], { method: 'POST', body });
  }

  taskRuns(id: string): Promise<TaskRun[]> {
    return requestAPI(this.settings, ['flow_runs', id, 'task_runs']);
  }

  logs(id: string): Promise<LogLine[]> {
    return requestAPI(this.settings, ['flow_runs', id, 'logs']);
  }

  recorded(id: string): Promise<Recorded[]> {
    return requestAPI(this.settings, ['flow_runs', id, 'recorded']);
  }

  outputNotebook(id: string): Promise<any> {
    return requestAPI(this.settings, ['flow_runs', id, 'notebook']);
  }

  workQueues(): Promise<WorkQueue[]> {
    return requestAPI(this.settings, ['work_queues']);
  }

  /** The work pools, each with its type's job variables schema. */
  workPools(): Promise<WorkPool[]> {
    return requestAPI(this.settings, ['work_pools']);
  }

  /** The WebSocket URL of the live event stream (from `after` when given). */
  streamUrl(after: number | null): string {
    const url = URLExt.join(this.settings.wsUrl, API_PREFIX, 'events', 'stream');
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
