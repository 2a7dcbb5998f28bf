/**
 * The sidebar's live model: deployments and runs, kept fresh from the server's event stream.
 *
 * The stream (`WS events/stream`) says *what* changed; the model then re-reads the lists it
 * shows (debounced, so a burst of events costs one request). A dropped socket reconnects from
 * the last event id it saw, so nothing is missed; while it is down, the model polls.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { Deployment, FlowRun, OrchestrApi, ServerEvent } from './api';

export interface IRunFilter {
  state: string;
  deploymentId: string;
}

export class OrchestrModel {
  constructor(readonly api: OrchestrApi) {}

  deployments: Deployment[] = [];
  runs: FlowRun[] = [];
  runsTotal = 0;
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
    window.clearTimeout(this._reconnectTimer);
    window.clearInterval(this._pollTimer);
    Signal.clearData(this);
  }

  setFilter(filter: Partial<IRunFilter>): void {
    this.filter = { ...this.filter, ...filter };
    void this.refresh();
  }

  /** Re-read deployments and runs now. */
  async refresh(): Promise<void> {
    const seq = ++this._seq;
    try {
      const [deployments, page] = await Promise.all([
        this.api.deployments(),
        this.api.flowRuns({
          state: this.filter.state || undefined,
          deployment_id: this.filter.deploymentId || undefined
        })
      ]);
      if (seq !== this._seq) {
        return; // a newer refresh started meanwhile; its answer wins
      }
      this.deployments = deployments;
      this.runs = page.items;
      this.runsTotal = page.total;
      this.error = '';
    } catch (error) {
      if (seq !== this._seq) {
        return;
      }
      this.error = String((error as Error).message ?? error);
    }
    this._changed.emit();
  }

  /**
   * Show a run the server just answered with (e.g. one started by Run now) before the next
   * refresh, so it appears at once in the state it started in.
   */
  addRun(run: FlowRun): void {
    const { state, deploymentId } = this.filter;
    if ((state && run.state?.type !== state) || (deploymentId && run.deployment_id !== deploymentId)) {
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
      if (/^(flow_run|task_runs|deployment)\./.test(event.kind)) {
        this.scheduleRefresh();
      }
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
  private _cursor: number | null = null;
  private _socket: WebSocket | null = null;
  private _retryDelay = 500;
  private _refreshTimer = 0;
  private _reconnectTimer = 0;
  private _pollTimer = 0;
  private _changed = new Signal<this, void>(this);
  private _events = new Signal<this, ServerEvent>(this);
}
