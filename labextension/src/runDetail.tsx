/**
 * One run in the sidebar: state, per-cell progress, logs, recorded outputs, and its actions.
 */
import * as React from 'react';

import { RunArtifacts } from './artifacts';
import { FINAL_STATES, FlowRun, LogLine, Recorded, ServerEvent, TaskRun } from './api';
import { ActionButton, Message, StateChip } from './components';
import { formatDuration, formatTime, formatValue } from './format';
import { OrchestrModel } from './model';
import { PauseForm } from './pauseForm';
import { RunViewActions } from './runDiff';

interface IDetail {
  run: FlowRun;
  tasks: TaskRun[];
  logs: LogLine[];
  recorded: Recorded[];
}

function concerns(event: ServerEvent, runId: string): boolean {
  if (event.kind.startsWith('artifact.')) {
    return false; // the Artifacts section follows those itself (a progress bar may move often)
  }
  return event.resource_id === runId || event.payload?.flow_run_id === runId;
}

export function RunDetail(props: {
  model: OrchestrModel;
  runId: string;
  onBack: () => void;
  onOpenNotebook: (run: FlowRun) => void;
  onError: (message: string) => void;
}): JSX.Element {
  const { model, runId } = props;
  const [detail, setDetail] = React.useState<IDetail | null>(null);
  const [error, setError] = React.useState('');
  const [, setTick] = React.useState(0);

  const load = React.useCallback(async () => {
    try {
      const [run, tasks, logs, recorded] = await Promise.all([
        model.api.flowRun(runId),
        model.api.taskRuns(runId),
        model.api.logs(runId),
        model.api.recorded(runId)
      ]);
      setDetail({ run, tasks, logs, recorded });
      setError('');
    } catch (err) {
      setError((err as Error).message);
    }
  }, [model, runId]);

  React.useEffect(() => {
    void load();
    let timer = 0;
    const onEvent = (_: unknown, event: ServerEvent) => {
      if (concerns(event, runId) && !timer) {
        timer = window.setTimeout(() => {
          timer = 0;
          void load();
        }, 150);
      }
    };
    model.events.connect(onEvent);
    // Re-read when the stream reconnects (the lists refresh then too), and tick durations.
    const onChanged = () => void load();
    model.changed.connect(onChanged);
    const clock = window.setInterval(() => setTick(t => t + 1), 1000);
    return () => {
      model.events.disconnect(onEvent);
      model.changed.disconnect(onChanged);
      window.clearTimeout(timer);
      window.clearInterval(clock);
    };
  }, [model, runId, load]);

  const act = async (what: () => Promise<FlowRun>, label: string) => {
    try {
      const run = await what();
      await model.refresh();
      if (run.id !== runId) {
        return;
      }
      await load();
    } catch (err) {
      props.onError(`${label}: ${(err as Error).message}`);
    }
  };

  const run = detail?.run;
  const final = run?.state ? FINAL_STATES.includes(run.state.type) : false;
  const retryable = final && run?.state?.type !== 'COMPLETED';
  // The server sets resume_cell only while a resume can work (FAILED, kernel state still saved).
  const resumeCell = typeof run?.resume_cell === 'number' ? run.resume_cell : null;
  const done = detail?.tasks.filter(t => t.state && FINAL_STATES.includes(t.state.type)).length ?? 0;
  const total = detail?.tasks.length ?? 0;

  return (
    <section
      className="orchestr-lab-section orchestr-lab-run-detail"
      data-run-id={runId}
      data-state={run?.state?.type ?? ''}
    >
      <div className="orchestr-lab-actions">
        <ActionButton label="← Back" onClick={props.onBack} />
      </div>
      <Message text={error} />
      {run ? (
        <>
          <div className="orchestr-lab-row-title">
            <h3 className="orchestr-lab-name">{run.name}</h3>
            <StateChip state={run.state} />
          </div>
          {run.state?.message ? <div className="orchestr-lab-state-message">{run.state.message}</div> : null}
          {run.state?.type === 'PAUSED' ? (
            <PauseForm model={model} run={run} onResumed={() => act(() => model.api.flowRun(run.id), 'Resume')} />
          ) : null}
          <table className="orchestr-lab-facts">
            <tbody>
              <tr>
                <th>What</th>
                <td>{run.notebook ?? run.flow_name ?? '—'}</td>
              </tr>
              <tr>
                <th>Started</th>
                <td>{formatTime(run.start_time)}</td>
              </tr>
              <tr>
                <th>Duration</th>
                <td>{formatDuration(run.start_time, run.end_time)}</td>
              </tr>
              <tr>
                <th>Attempts</th>
                <td>{run.run_count}</td>
              </tr>
              <tr>
                <th>Worker</th>
                <td>{run.worker?.name ?? '—'}</td>
              </tr>
              {Object.entries(run.parameters).map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>{formatValue(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="orchestr-lab-actions">
            {run.notebook ? (
              <ActionButton label="Open output notebook" onClick={() => props.onOpenNotebook(run)} />
            ) : null}
            <RunViewActions model={model} run={run} />
            {retryable ? (
              <ActionButton label="Retry" action="retry" onClick={() => act(() => model.api.retry(run.id), 'Retry')} />
            ) : null}
            {resumeCell !== null ? (
              <ActionButton
                label={`Retry from cell ${resumeCell}`}
                action="retry-from-cell"
                title={`Run cell ${resumeCell} and those after it with the kernel state saved when it failed`}
                onClick={() => act(() => model.api.retry(run.id, true), `Retry from cell ${resumeCell}`)}
              />
            ) : null}
            {final ? null : (
              <ActionButton label="Cancel" onClick={() => act(() => model.api.cancel(run.id), 'Cancel')} />
            )}
          </div>
          <h4>
            Cells{' '}
            <span className="orchestr-lab-progress-text">
              {done}/{total}
            </span>
          </h4>
          <progress className="orchestr-lab-progress" max={Math.max(total, 1)} value={done} />
          <ol className="orchestr-lab-cells">
            {detail.tasks.map(task => (
              <li key={task.id} className="orchestr-lab-cell" data-state={task.state?.type ?? ''}>
                <StateChip state={task.state} />
                <span className="orchestr-lab-name">{task.name}</span>
                <span className="orchestr-lab-row-meta">{formatDuration(task.start_time, task.end_time)}</span>
              </li>
            ))}
          </ol>
          <h4>Recorded outputs</h4>
          {detail.recorded.length === 0 ? (
            <p className="orchestr-lab-empty">None.</p>
          ) : (
            <table className="orchestr-lab-facts orchestr-lab-recorded">
              <tbody>
                {detail.recorded.map(r => (
                  <tr key={r.id} data-name={r.name}>
                    <th>{r.name}</th>
                    <td>{r.repr || formatValue(r.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <RunArtifacts model={model} runId={runId} />
          <h4>Logs</h4>
          {detail.logs.length === 0 ? (
            <p className="orchestr-lab-empty">No log lines.</p>
          ) : (
            <pre className="orchestr-lab-logs">{detail.logs.map(l => l.message).join('\n')}</pre>
          )}
        </>
      ) : null}
    </section>
  );
}
