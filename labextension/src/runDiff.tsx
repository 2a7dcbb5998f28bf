/**
 * Compare two runs in the main area: the parameters and recorded outputs that changed, the run's
 * state and duration if they did, and the cells whose source, outputs or state changed, with
 * their old and new outputs (text, or images) side by side.
 *
 * Reached from a run's detail in the sidebar ("Compare with…"), which also has "Report"; this
 * module keeps the application shell those views open in (`setRunViewsShell`).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { FlowRun } from './api';
import { ActionButton, Message } from './components';
import type { components } from './openapi';
import { formatValue } from './format';
import { OrchestrModel } from './model';
import { reportWidget } from './report';
import { requestAPI } from './request';

type Schemas = components['schemas'];
type RunDiff = Required<Schemas['RunDiffRead']>;
type CellChange = Schemas['CellChange'];
type CellOutput = Schemas['CellOutput'];
type ValueChange = Schemas['ValueChange'];

let shell: JupyterFrontEnd.IShell | null = null;

/** Where "Report" and "Compare with…" open their views (set once, on activation). */
export function setRunViewsShell(appShell: JupyterFrontEnd.IShell): void {
  shell = appShell;
}

function show(widget: MainAreaWidget): void {
  if (!shell) {
    return;
  }
  Array.from(shell.widgets('main'))
    .find(w => w.id === widget.id)
    ?.dispose();
  shell.add(widget, 'main');
  shell.activateById(widget.id);
}

/** The run detail's "Report" and "Compare with…" buttons (a run of a notebook only has a report). */
export function RunViewActions(props: { model: OrchestrModel; run: FlowRun }): JSX.Element {
  const { model, run } = props;
  return (
    <>
      {run.notebook && run.output_notebook ? (
        <ActionButton
          label="Report"
          action="report"
          title="The executed notebook as an HTML page"
          onClick={() => show(reportWidget(model.api.settings, run))}
        />
      ) : null}
      {run.deployment_id ? (
        <ActionButton
          label="Compare with…"
          action="compare"
          title="What changed since another run of this deployment (by default the previous COMPLETED one)"
          onClick={() => show(runDiffWidget(model, run))}
        />
      ) : null}
    </>
  );
}

function runDiffWidget(model: OrchestrModel, run: FlowRun): MainAreaWidget {
  const content = ReactWidget.create(<RunDiffView model={model} run={run} />);
  content.addClass('orchestr-lab-diff');
  const widget = new MainAreaWidget({ content });
  widget.id = `orchestr-lab-diff-${run.id}`;
  widget.title.label = `Compare · ${run.name}`;
  widget.title.caption = `What changed in run ${run.name} (${run.id}) since another run`;
  widget.title.closable = true;
  return widget;
}

function RunDiffView(props: { model: OrchestrModel; run: FlowRun }): JSX.Element {
  const { model, run } = props;
  const [others, setOthers] = React.useState<FlowRun[]>([]);
  const [against, setAgainst] = React.useState('');
  const [diff, setDiff] = React.useState<RunDiff | null>(null);
  const [error, setError] = React.useState('');

  React.useEffect(() => {
    void model.api
      .flowRuns({ deployment_id: run.deployment_id ?? undefined, limit: 100 })
      .then(page => setOthers(page.items.filter(r => r.id !== run.id)))
      .catch(err => setError((err as Error).message));
  }, [model, run]);

  React.useEffect(() => {
    setDiff(null);
    requestAPI<RunDiff>(model.api.settings, ['flow_runs', run.id, 'diff'], { query: { against } })
      .then(answer => {
        setDiff(answer);
        setError('');
      })
      .catch(err => setError((err as Error).message));
  }, [model, run, against]);

  return (
    <div className="orchestr-lab-diff-view" data-run-id={run.id} data-against={diff?.against_id ?? ''}>
      <div className="orchestr-lab-diff-picker">
        <label>
          Compare <b>{run.name}</b> with{' '}
          <select value={against} onChange={event => setAgainst(event.target.value)}>
            <option value="">the previous COMPLETED run</option>
            {others.map(r => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.state?.type ?? '?'})
              </option>
            ))}
          </select>
        </label>
      </div>
      <Message text={error} />
      {diff ? <DiffBody diff={diff} /> : null}
    </div>
  );
}

function DiffBody(props: { diff: RunDiff }): JSX.Element {
  const { diff } = props;
  const nothing = !diff.parameters.length && !diff.recorded.length && !diff.cells.length && !diff.state;
  return (
    <>
      <p className="orchestr-lab-diff-title">
        Changes from <b>{diff.against_name}</b> to <b>{diff.flow_run_name}</b>
        {nothing && !diff.duration ? ': none.' : ''}
      </p>
      <Changes title="Parameters" kind="parameters" changes={diff.parameters} />
      <Changes title="Recorded outputs" kind="recorded" changes={diff.recorded} />
      {diff.state ? (
        <p className="orchestr-lab-diff-state">
          State: {diff.state.old} → {diff.state.new}
        </p>
      ) : null}
      {diff.duration ? (
        <p className="orchestr-lab-diff-duration">
          Duration: {seconds(diff.duration.old)} → {seconds(diff.duration.new)}
        </p>
      ) : null}
      {diff.cells.length ? <h3>Changed cells</h3> : null}
      {diff.cells.map(cell => (
        <CellView key={`${cell.index}-${cell.old_index}`} cell={cell} />
      ))}
    </>
  );
}

function seconds(value: number | null | undefined): string {
  return typeof value === 'number' ? `${value.toFixed(1)} s` : '—';
}

function Changes(props: { title: string; kind: string; changes: ValueChange[] }): JSX.Element | null {
  if (!props.changes.length) {
    return null;
  }
  return (
    <>
      <h3>{props.title}</h3>
      <table className={`orchestr-lab-facts orchestr-lab-diff-${props.kind}`}>
        <tbody>
          {props.changes.map(c => (
            <tr key={c.name} data-name={c.name} data-change={c.change}>
              <th>{c.name}</th>
              <td className="orchestr-lab-diff-old">{c.change === 'added' ? '—' : formatValue(c.old)}</td>
              <td>→</td>
              <td className="orchestr-lab-diff-new">{c.change === 'removed' ? '—' : formatValue(c.new)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CellView(props: { cell: CellChange }): JSX.Element {
  const { cell } = props;
  const where = cell.index ?? cell.old_index;
  const parts = [cell.source_changed ? 'source' : '', cell.outputs_changed ? 'outputs' : ''].filter(Boolean);
  const what = [
    cell.change !== 'modified' ? cell.change : parts.length ? `${parts.join(' and ')} changed` : '',
    cell.state ? `state ${cell.state.old} → ${cell.state.new}` : '',
    cell.duration ? `duration ${seconds(cell.duration.old)} → ${seconds(cell.duration.new)}` : ''
  ].filter(Boolean);
  return (
    <div
      className="orchestr-lab-diff-cell orchestr-lab-diff-changed"
      data-index={where ?? ''}
      data-change={cell.change}
      data-outputs-changed={cell.outputs_changed ? 'true' : 'false'}
      data-source-changed={cell.source_changed ? 'true' : 'false'}
    >
      <div className="orchestr-lab-diff-cell-head">
        Cell {where} ({cell.cell_type}): {what.join('; ')}
      </div>
      {cell.source_changed && cell.old_source !== null && cell.old_source !== undefined ? (
        <div className="orchestr-lab-diff-sides">
          <pre className="orchestr-lab-diff-source orchestr-lab-diff-old">{cell.old_source}</pre>
          <pre className="orchestr-lab-diff-source orchestr-lab-diff-new">{cell.source}</pre>
        </div>
      ) : (
        <pre className="orchestr-lab-diff-source">{cell.source}</pre>
      )}
      {cell.outputs_changed ? (
        <div className="orchestr-lab-diff-sides">
          <Outputs side="old" outputs={cell.old_outputs ?? []} />
          <Outputs side="new" outputs={cell.outputs ?? []} />
        </div>
      ) : null}
    </div>
  );
}

function Outputs(props: { side: string; outputs: CellOutput[] }): JSX.Element {
  return (
    <div className={`orchestr-lab-diff-outputs orchestr-lab-diff-${props.side}`}>
      {props.outputs.length === 0 ? <p className="orchestr-lab-empty">No output.</p> : null}
      {props.outputs.map((output, i) =>
        output.data ? (
          <img
            key={i}
            className="orchestr-lab-diff-image"
            alt={`${props.side} ${output.mime}`}
            src={`data:${output.mime};base64,${output.data}`}
          />
        ) : (
          <pre key={i} className={`orchestr-lab-diff-text orchestr-lab-diff-${output.output_type}`}>
            {output.text}
          </pre>
        )
      )}
    </div>
  );
}
