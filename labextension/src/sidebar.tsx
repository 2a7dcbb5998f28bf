/**
 * The "Orchestration" left sidebar: deployments, runs (live), and the detail of one run.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { Deployment, FlowRun, STATE_TYPES, State } from './api';
import { ActionButton, Message, StateChip } from './components';
import { describeSchedule, formatDuration, formatTime, formatValue } from './format';
import { OrchestrModel } from './model';
import { parseParameterText } from './parameters';
import { AssetsSection } from './lineage';
import { RunDetail } from './runDetail';
import { SweepForm } from './sweepForm';
import { ISweep } from './sweepModel';
import { VariablesSection } from './variables';
import { IRowSlot, VirtualList } from './virtualList';
import { SlaBadge } from './slaBadge';

/** The sidebar widget's stable id (the README lists the hooks tests and tooling rely on). */
export const SIDEBAR_ID = 'orchestr-lab-sidebar';

export interface ISidebarActions {
  /** Open the read-only view of a run's executed notebook. */
  openOutputNotebook(run: FlowRun): void;
  /** Report a failed action to the user. */
  notifyError(message: string): void;
  /** Show a sweep's results table (one just started from a deployment's "Sweep…" form). */
  openSweep(sweep: ISweep): void;
}

export class OrchestrSidebar extends ReactWidget {
  constructor(
    readonly model: OrchestrModel,
    private readonly _actions: ISidebarActions
  ) {
    super();
    this.id = SIDEBAR_ID;
    this.addClass('orchestr-lab-sidebar');
  }

  /** The message shown at the top when the server extension does not answer ('' if it does). */
  get serverProblem(): string {
    return this._serverProblem;
  }
  set serverProblem(value: string) {
    this._serverProblem = value;
    this.update();
  }

  /** Show one run's detail (null: back to the lists). */
  showRun(runId: string | null): void {
    this._runId = runId;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => (
          <div className="orchestr-lab-panel">
            <header className="orchestr-lab-header">
              <h2>Orchestration</h2>
              <span
                className={`orchestr-lab-live ${this.model.live ? 'orchestr-lab-live-on' : ''}`}
                title={this.model.live ? 'Live: updates arrive from the server' : 'Not connected; polling'}
              >
                {this.model.live ? '● live' : '○ offline'}
              </span>
              <ActionButton label="↻" title="Refresh" onClick={() => void this.model.refresh()} />
            </header>
            <Message text={this._serverProblem} />
            <Message text={this._serverProblem ? '' : this.model.error} />
            {this._runId ? (
              <RunDetail
                model={this.model}
                runId={this._runId}
                onBack={() => this.showRun(null)}
                onOpenNotebook={run => this._actions.openOutputNotebook(run)}
                onError={message => this._actions.notifyError(message)}
              />
            ) : (
              <>
                <Deployments
                  model={this.model}
                  onError={message => this._actions.notifyError(message)}
                  onSweep={sweep => this._actions.openSweep(sweep)}
                />
                <Runs model={this.model} onOpen={id => this.showRun(id)} />
                {/* Without the server extension the message above says all; these would only repeat it. */}
                {this._serverProblem ? null : (
                  <>
                    <VariablesSection settings={this.model.api.settings} />
                    <AssetsSection model={this.model} onOpenRun={id => this.showRun(id)} />
                  </>
                )}
              </>
            )}
          </div>
        )}
      </UseSignal>
    );
  }

  private _runId: string | null = null;
  private _serverProblem = '';
}

function Deployments(props: {
  model: OrchestrModel;
  onError: (message: string) => void;
  onSweep: (sweep: ISweep) => void;
}): JSX.Element {
  const { model } = props;
  const loadMore = React.useCallback(() => void model.loadMoreDeployments(), [model]);
  return (
    <section className="orchestr-lab-section orchestr-lab-deployments">
      <h3>Deployments</h3>
      {model.deployments.length === 0 ? (
        <p className="orchestr-lab-empty">
          No deployments yet. Right-click a notebook in the file browser and choose “Schedule notebook…”.
        </p>
      ) : (
        <VirtualList
          className="orchestr-lab-deployment-list"
          items={model.deployments}
          itemKey={dep => dep.id}
          estimateSize={110}
          complete={model.deploymentsComplete}
          onNearEnd={loadMore}
          renderRow={(dep, slot) => (
            <DeploymentRow model={model} deployment={dep} onError={props.onError} onSweep={props.onSweep} slot={slot} />
          )}
        />
      )}
    </section>
  );
}

function DeploymentRow(props: {
  model: OrchestrModel;
  deployment: Deployment;
  onError: (message: string) => void;
  onSweep: (sweep: ISweep) => void;
  slot: IRowSlot;
}): JSX.Element {
  const { model, deployment: dep } = props;
  const [editing, setEditing] = React.useState(false);
  const [sweeping, setSweeping] = React.useState(false);
  const [overrides, setOverrides] = React.useState<Record<string, string>>({});
  const [busy, setBusy] = React.useState(false);
  // What a run can override: the notebook's parameters, with the deployment's values as defaults.
  const [defaults, setDefaults] = React.useState<Record<string, unknown>>(dep.parameters);
  // last_run is a free-form summary in the document; its state, when an object, is a State.
  const lastState =
    dep.last_run?.state && typeof dep.last_run.state === 'object' ? (dep.last_run.state as State) : null;

  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await what();
      await model.refresh();
    } catch (error) {
      props.onError(`${dep.name}: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const runNow = () =>
    act(async () => {
      const parameters: Record<string, unknown> = {};
      for (const [name, text] of Object.entries(overrides)) {
        if (text.trim() !== '') {
          parameters[name] = parseParameterText(text, { default: defaults[name] });
        }
      }
      model.addRun(await model.api.runDeployment(dep.id, parameters));
      setEditing(false);
      setOverrides({});
    });

  return (
    <li
      {...props.slot}
      className="orchestr-lab-row orchestr-lab-deployment"
      data-deployment-id={dep.id}
      data-paused={dep.paused}
    >
      <div className="orchestr-lab-row-title">
        <span className="orchestr-lab-name" title={dep.notebook ?? dep.entrypoint ?? ''}>
          {dep.name}
        </span>
        {dep.paused ? <span className="orchestr-lab-chip orchestr-lab-chip-paused">paused</span> : null}
        <SlaBadge deployment={dep} />
        <StateChip state={lastState} />
      </div>
      <div className="orchestr-lab-row-meta">{dep.notebook ?? dep.entrypoint}</div>
      {dep.schedules.length === 0 ? (
        <div className="orchestr-lab-row-meta">On demand only</div>
      ) : (
        dep.schedules.map(s => (
          <div className="orchestr-lab-row-meta orchestr-lab-schedule" key={s.id}>
            {describeSchedule(s)} {s.cron ? <code>{s.cron}</code> : null}
          </div>
        ))
      )}
      <div className="orchestr-lab-row-meta">
        Next run:{' '}
        <span className="orchestr-lab-next-run">
          {dep.paused ? 'paused' : formatTime(dep.next_runs[0], dep.schedules[0]?.timezone)}
        </span>
      </div>
      <div className="orchestr-lab-actions">
        <ActionButton
          label="Run now"
          accept
          onClick={() => {
            setEditing(!editing);
            if (!editing && dep.notebook) {
              model.api
                .notebookParameters(dep.notebook)
                .then(answer =>
                  setDefaults({
                    ...Object.fromEntries(answer.parameters.map(p => [p.name, p.default])),
                    ...dep.parameters
                  })
                )
                .catch(() => setDefaults(dep.parameters));
            }
          }}
          disabled={busy}
        />
        {dep.paused ? (
          <ActionButton label="Resume" onClick={() => act(() => model.api.resume(dep.id))} disabled={busy} />
        ) : (
          <ActionButton label="Pause" onClick={() => act(() => model.api.pause(dep.id))} disabled={busy} />
        )}
        <ActionButton
          label="Runs"
          title="Show only this deployment's runs"
          onClick={() => model.setFilter({ deploymentId: dep.id })}
        />
        <ActionButton
          label="Sweep…"
          title="Run this deployment over many parameter values, as one results table"
          action="sweep"
          onClick={() => setSweeping(!sweeping)}
        />
      </div>
      {sweeping ? (
        <SweepForm
          api={model.api}
          deployment={dep}
          onCreated={sweep => {
            setSweeping(false);
            props.onSweep(sweep);
          }}
          onCancel={() => setSweeping(false)}
        />
      ) : null}
      {editing ? (
        <form
          className="orchestr-lab-run-form"
          onSubmit={event => {
            event.preventDefault();
            void runNow();
          }}
        >
          {Object.entries(defaults).length === 0 ? (
            <p className="orchestr-lab-empty">No parameters to override.</p>
          ) : (
            Object.entries(defaults).map(([name, value]) => (
              <label key={name} className="orchestr-lab-field">
                <span>{name}</span>
                <input
                  className="jp-mod-styled"
                  name={name}
                  placeholder={formatValue(value)}
                  value={overrides[name] ?? ''}
                  onChange={event => setOverrides({ ...overrides, [name]: event.target.value })}
                />
              </label>
            ))
          )}
          <button type="submit" className="jp-Button jp-mod-styled jp-mod-accept" disabled={busy}>
            Start run
          </button>
        </form>
      ) : null}
    </li>
  );
}

function Choice(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  choices: Array<[string, string]>;
}): JSX.Element {
  return (
    <select
      className="jp-mod-styled"
      aria-label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
    >
      {props.choices.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}

function Runs(props: { model: OrchestrModel; onOpen: (id: string) => void }): JSX.Element {
  const { model } = props;
  const loadMore = React.useCallback(() => void model.loadMoreRuns(), [model]);
  const names = new Map(model.deployments.map(d => [d.id, d.name]));
  return (
    <section className="orchestr-lab-section orchestr-lab-runs">
      <h3>Runs</h3>
      <div className="orchestr-lab-filters">
        <Choice
          label="Filter runs by state"
          value={model.filter.state}
          onChange={state => model.setFilter({ state })}
          choices={[['', 'All states'], ...STATE_TYPES.map(s => [s, s] as [string, string])]}
        />
        <Choice
          label="Filter runs by deployment"
          value={model.filter.deploymentId}
          onChange={deploymentId => model.setFilter({ deploymentId })}
          choices={[['', 'All deployments'], ...model.deployments.map(d => [d.id, d.name] as [string, string])]}
        />
      </div>
      {model.runs.length === 0 ? (
        <p className="orchestr-lab-empty">
          No runs{model.filter.state || model.filter.deploymentId ? ' match' : ' yet'}.
        </p>
      ) : (
        <VirtualList
          className="orchestr-lab-run-list"
          items={model.runs}
          itemKey={run => run.id}
          estimateSize={64}
          complete={model.runsComplete}
          onNearEnd={loadMore}
          renderRow={(run, slot) => (
            <li
              {...slot}
              className="orchestr-lab-row orchestr-lab-run"
              data-run-id={run.id}
              data-state={run.state?.type ?? ''}
              data-for-deployment={run.deployment_id ?? ''}
              onClick={() => props.onOpen(run.id)}
              title="Show this run"
            >
              <div className="orchestr-lab-row-title">
                <span className="orchestr-lab-name">{run.name}</span>
                <StateChip state={run.state} />
              </div>
              <div className="orchestr-lab-row-meta">
                {(run.deployment_id ? names.get(run.deployment_id) : undefined) ?? run.flow_name ?? 'flow'}
                {' · '}
                {formatTime(run.start_time ?? run.scheduled_start_time)}
                {' · '}
                {formatDuration(run.start_time, run.end_time)}
              </div>
              {Object.keys(run.parameters).length ? (
                <div className="orchestr-lab-row-meta orchestr-lab-params">
                  {Object.entries(run.parameters)
                    .map(([k, v]) => `${k}=${formatValue(v, 30)}`)
                    .join(', ')}
                </div>
              ) : null}
            </li>
          )}
        />
      )}
      {model.runsTotal > model.runs.length ? (
        <p className="orchestr-lab-empty orchestr-lab-runs-count">
          {model.runs.length} of {model.runsTotal}
          {model.runsTotalExact ? '' : '+'} runs loaded; scroll for more.
        </p>
      ) : null}
    </section>
  );
}
