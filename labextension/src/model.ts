/**
 * The sidebar's live model: deployments and runs, paged in as the user scrolls and kept fresh
 * from the server's event stream.
 *
 * Both lists load a page at a time (`loadMoreRuns`, `loadMoreDeployments`), so a store with
 * 100,000 runs costs the browser what the user scrolled through. The stream (`WS events/stream`)
 * updates the rows that are loaded in place: a run's state event carries its new state, so no
 * request is made for it; a run that is not loaded yet and matches the filter brings in the
 * first page again; a changed deployment is read alone. A dropped socket reconnects from the
 * last event id it saw, so nothing is missed; while it is down, the model polls.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { Deployment, FINAL_STATES, FlowRun, OrchestrApi, PageStart, ServerEvent, State, StateType } from './api';

/** Runs per page (the first page, and each page scrolling loads). */
export const RUN_PAGE = 50;
/** Deployments per page. */
export const DEPLOYMENT_PAGE = 200;
/** The most a refresh reads again at once of what scrolling loaded (the API's page limit). */
const MAX_PAGE = 1000;

export interface IRunFilter {
  state: string;
  deploymentId: string;
}

export class OrchestrModel {
  constructor(readonly api: OrchestrApi) {}

  deployments: Deployment[] = [];
  /** Whether every deployment is loaded (else scrolling to the end loads more). */
  deploymentsComplete = false;
  runs: FlowRun[] = [];
  runsTotal = 0;
  /** False when the server counted matches only up to a cap (`runsTotal` is then a lower bound). */
  runsTotalExact = true;
  /** Whether every run that matches the filter is loaded. */
  runsComplete = false;
  filter: IRunFilter = { state: '', deploymentId: '' };
  /** Why the last refresh failed ('' when it did not). */
  error = '';
  /** Whether the live stream is connected. */
  live = false;

  /** Emitted after the lists change (or an error or the live flag does). */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Every event from the stream, for views that watch one run. */
  get events(): ISignal<this, ServerEvent> {
    return this._events;
  }

  /** Start listening: the first refresh, then the stream. */
  start(): void {
    if (this._started) {
      return;
    }
    this._started = true;
    void this.refresh();
    this._connect();
  }

  dispose(): void {
    this._disposed = true;
    this._socket?.close();
    window.clearTimeout(this._refreshTimer);
    window.clearTimeout(this._headTimer);
    window.clearTimeout(this._reconnectTimer);
    window.clearInterval(this._pollTimer);
    Signal.clearData(this);
  }

  setFilter(filter: Partial<IRunFilter>): void {
    this.filter = { ...this.filter, ...filter };
    // Another list: start again from its first page.
    this.runs = [];
    this._runsCursor = null;
    void this.refresh();
  }

  /** Re-read deployments and runs now (as many of each as are loaded, so the lists keep their place). */
  async refresh(): Promise<void> {
    const seq = ++this._seq;
    const deploymentLimit = Math.min(Math.max(this.deployments.length, DEPLOYMENT_PAGE), MAX_PAGE);
    const runLimit = Math.min(Math.max(this.runs.length, RUN_PAGE), MAX_PAGE);
    try {
      const [deployments, page] = await Promise.all([
        this.api.deployments({ limit: deploymentLimit }),
        this.api.flowRuns({ ...this._runFilter(), limit: runLimit })
      ]);
      if (seq !== this._seq) {
        return; // a newer refresh started meanwhile; its answer wins
      }
      this._setDeployments(deployments, deploymentLimit);
      this._setRuns(page.items, page, runLimit);
      this.runsTotal = page.total;
      this.runsTotalExact = page.total_exact !== false;
      this.error = '';
    } catch (error) {
      if (seq !== this._seq) {
        return;
      }
      this.error = String((error as Error).message ?? error);
    }
    this._changed.emit();
  }

  /** Load the next page of runs (the list scrolled near its end). */
  loadMoreRuns(): Promise<void> {
    if (this.runsComplete) {
      return Promise.resolve();
    }
    const start: PageStart = this._runsCursor
      ? { limit: RUN_PAGE, cursor: this._runsCursor }
      : { limit: RUN_PAGE, offset: this.runs.length };
    return this._loadPage('runs', async current => {
      const page = await this.api.flowRuns({ ...this._runFilter(), ...start });
      if (current()) {
        this._setRuns(appendNew(this.runs, page.items), page, RUN_PAGE, page.items.length);
        this.runsTotal = Math.max(page.total, this.runs.length);
      }
    });
  }

  /** Load the next page of deployments (by name). */
  loadMoreDeployments(): Promise<void> {
    if (this.deploymentsComplete) {
      return Promise.resolve();
    }
    return this._loadPage('deployments', async current => {
      const page = await this.api.deployments({ limit: DEPLOYMENT_PAGE, offset: this.deployments.length });
      if (current()) {
        const before = this.deployments.length;
        this.deployments = appendNew(this.deployments, page);
        // A server without paging answers with everything: nothing new means nothing more.
        this.deploymentsComplete = page.length < DEPLOYMENT_PAGE || this.deployments.length === before;
      }
    });
  }

  /**
   * Show a run the server just answered with (e.g. one started by Run now) before the next
   * refresh, so it appears at once in the state it started in.
   */
  addRun(run: FlowRun): void {
    if (!this._matches(run)) {
      return;
    }
    this.runs = [run, ...this.runs.filter(r => r.id !== run.id)];
    this._changed.emit();
  }

  /** Ask for a refresh soon; bursts of events collapse into one. */
  scheduleRefresh(delay = 150): void {
    if (this._refreshTimer) {
      return;
    }
    this._refreshTimer = window.setTimeout(() => {
      this._refreshTimer = 0;
      void this.refresh();
    }, delay);
  }

  private _connect(): void {
    if (this._disposed) {
      return;
    }
    const socket = new this.api.settings.WebSocket(this.api.streamUrl(this._cursor));
    this._socket = socket;
    socket.onopen = () => {
      this._setLive(true);
      this._retryDelay = 500;
      // Anything that happened while we were away.
      this.scheduleRefresh(0);
    };
    socket.onmessage = (message: MessageEvent) => {
      let event: ServerEvent;
      try {
        event = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (typeof event.id === 'number') {
        this._cursor = Math.max(this._cursor ?? 0, event.id);
      }
      this._events.emit(event);
      this._apply(event);
    };
    socket.onclose = () => {
      if (this._socket !== socket) {
        return;
      }
      this._socket = null;
      this._setLive(false);
      if (!this._disposed) {
        this._reconnectTimer = window.setTimeout(() => this._connect(), this._retryDelay);
        this._retryDelay = Math.min(this._retryDelay * 2, 10000);
      }
    };
  }

  /**
   * One page load of a list at a time; `current()` says no refresh or filter change came in
   * meanwhile (then the page belongs to a list that is gone, and is dropped).
   */
  private async _loadPage(
    list: 'runs' | 'deployments',
    load: (current: () => boolean) => Promise<void>
  ): Promise<void> {
    if (this._loading.has(list)) {
      return;
    }
    this._loading.add(list);
    const seq = this._seq;
    try {
      await load(() => seq === this._seq);
    } catch (error) {
      this.error = String((error as Error).message ?? error);
    } finally {
      this._loading.delete(list);
    }
    this._changed.emit();
  }

  /** The list filter as query parameters. */
  private _runFilter(): { state?: string; deployment_id?: string } {
    return { state: this.filter.state || undefined, deployment_id: this.filter.deploymentId || undefined };
  }

  private _matches(run: { state?: State | null; deployment_id?: string | null }): boolean {
    const { state, deploymentId } = this.filter;
    return !(state && run.state?.type !== state) && !(deploymentId && run.deployment_id !== deploymentId);
  }

  private _setRuns(runs: FlowRun[], page: { next_cursor?: string | null }, limit: number, got = runs.length): void {
    this.runs = runs;
    this._runsCursor = page.next_cursor ?? null;
    this.runsComplete = page.next_cursor === null || (page.next_cursor === undefined && got < limit);
  }

  private _setDeployments(deployments: Deployment[], limit: number): void {
    this.deployments = deployments;
    this.deploymentsComplete = deployments.length < limit || deployments.length > limit;
  }

  /** What one event changes in the loaded lists (see the module docstring). */
  private _apply(event: ServerEvent): void {
    const id = event.resource_id ?? '';
    const payload = (event.payload ?? {}) as Record<string, any>;
    if (event.kind === 'flow_run.state' && payload.state) {
      this._runState(id, payload.state as State, payload);
    } else if (event.kind === 'flow_run.deleted') {
      const runs = this.runs.filter(r => r.id !== id);
      if (runs.length !== this.runs.length) {
        this.runs = runs;
        this.runsTotal = Math.max(0, this.runsTotal - 1);
        this._changed.emit();
      }
    } else if (event.kind === 'deployment.deleted') {
      this.deployments = this.deployments.filter(d => d.id !== id);
      this._changed.emit();
    } else if (event.kind.startsWith('deployment.')) {
      this._rereadDeployment(id);
    }
  }

  private _runState(id: string, state: State, payload: Record<string, any>): void {
    let changed = false;
    const index = this.runs.findIndex(r => r.id === id);
    if (index >= 0) {
      const run = { ...this.runs[index], state };
      if (state.type === 'RUNNING' && !run.start_time) {
        run.start_time = state.timestamp;
      }
      if (FINAL_STATES.includes(state.type as StateType) && !run.end_time) {
        run.end_time = state.timestamp;
      }
      this.runs = this._matches(run)
        ? this.runs.map((r, i) => (i === index ? run : r))
        : this.runs.filter((_, i) => i !== index);
      changed = true;
    } else if (this._matches({ state, deployment_id: payload.deployment_id })) {
      this._scheduleHead(); // a new run (or one not loaded yet): read the first page again
    }
    const deploymentIndex = this.deployments.findIndex(d => d.id === payload.deployment_id);
    if (deploymentIndex >= 0 && state.type !== 'SCHEDULED') {
      // last_run: the deployment's latest run that left SCHEDULED.
      const dep = this.deployments[deploymentIndex];
      const lastRun = { ...(dep.last_run ?? {}), id, name: payload.name ?? dep.last_run?.name, state };
      this.deployments = this.deployments.map((d, i) => (i === deploymentIndex ? { ...d, last_run: lastRun } : d));
      changed = true;
      if (dep.sla_breaches?.length && FINAL_STATES.includes(state.type as StateType)) {
        this._rereadDeployment(dep.id); // a run's end may clear a breached SLA
      }
    }
    if (changed) {
      this._changed.emit(); // a burst of events about runs not shown re-renders nothing
    }
  }

  /** Read the first page of runs again soon and put what is new on top; bursts collapse into one. */
  private _scheduleHead(delay = 150): void {
    if (this._headTimer) {
      return;
    }
    this._headTimer = window.setTimeout(() => {
      this._headTimer = 0;
      void this._readHead();
    }, delay);
  }

  private async _readHead(): Promise<void> {
    const seq = this._seq;
    try {
      const page = await this.api.flowRuns({ ...this._runFilter(), limit: RUN_PAGE });
      if (seq !== this._seq) {
        return;
      }
      const head = new Set(page.items.map(r => r.id));
      this.runs = [...page.items, ...this.runs.filter(r => !head.has(r.id))];
      this.runsTotal = Math.max(page.total, this.runs.length);
      this._changed.emit();
    } catch {
      // the next event or refresh tries again
    }
  }

  /** A deployment that changed: read it alone (one that was created shows if it sorts among the loaded). */
  private _rereadDeployment(id: string): void {
    this.api
      .deployment(id)
      .then(dep => {
        const loaded = this.deployments.some(d => d.id === dep.id);
        const last = this.deployments[this.deployments.length - 1];
        if (loaded) {
          this.deployments = this.deployments.map(d => (d.id === dep.id ? dep : d));
        } else if (this.deploymentsComplete || (last && dep.name < last.name)) {
          this.deployments = [...this.deployments, dep].sort((a, b) =>
            a.name < b.name ? -1 : a.name > b.name ? 1 : 0
          );
        }
        this._changed.emit();
      })
      .catch(() => undefined);
  }

  private _setLive(live: boolean): void {
    this.live = live;
    window.clearInterval(this._pollTimer);
    this._pollTimer = 0;
    if (!live && !this._disposed) {
      // Without the stream, fall back to polling so the lists still move.
      this._pollTimer = window.setInterval(() => void this.refresh(), 3000);
    }
    this._changed.emit();
  }

  private _started = false;
  private _disposed = false;
  private _seq = 0;
  private _runsCursor: string | null = null;
  private _loading = new Set<string>();
  private _headTimer = 0;
  private _cursor: number | null = null;
  private _socket: WebSocket | null = null;
  private _retryDelay = 500;
  private _refreshTimer = 0;
  private _reconnectTimer = 0;
  private _pollTimer = 0;
  private _changed = new Signal<this, void>(this);
  private _events = new Signal<this, ServerEvent>(this);
}

/** `items` followed by those of `more` it does not have yet (pages can overlap while runs arrive). */
function appendNew<T extends { id: string }>(items: T[], more: T[]): T[] {
  const seen = new Set(items.map(item => item.id));
  return [...items, ...more.filter(item => !seen.has(item.id))];
}
