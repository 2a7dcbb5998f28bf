/**
 * A sweep's results in the main area: one row per member (index, parameters, state, duration,
 * recorded outputs), filling in live while the sweep runs (`GET sweeps/{id}` every second, as
 * the sidebar polls runs without its event stream), sortable by any column, with "Retry failed",
 * "Cancel" and the table as CSV.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { State } from './api';
import { ActionButton, Message, StateChip } from './components';
import { orchestrIcon } from './icon';
import { apiUrl, requestAPI } from './request';
import {
  describeCounts,
  formatCell,
  isLive,
  isRunning,
  ISweep,
  ISweepCreate,
  ISweepSort,
  nextSort,
  retryableCount,
  sortMembers,
  sweepColumns
} from './sweepModel';

/** How often the table asks for the sweep while it runs. */
const POLL_MS = 1000;

/** The sweep routes. */
export const sweepRequests = {
  create: (settings: ServerConnection.ISettings, deploymentId: string, body: ISweepCreate): Promise<ISweep> =>
    requestAPI(settings, ['deployments', deploymentId, 'sweeps'], { method: 'POST', body }),
  get: (settings: ServerConnection.ISettings, id: string): Promise<ISweep> => requestAPI(settings, ['sweeps', id]),
  retry: (settings: ServerConnection.ISettings, id: string): Promise<ISweep> =>
    requestAPI(settings, ['sweeps', id, 'retry'], { method: 'POST' }),
  cancel: (settings: ServerConnection.ISettings, id: string): Promise<ISweep> =>
    requestAPI(settings, ['sweeps', id, 'cancel'], { method: 'POST' }),
  /** Where the table downloads as CSV (the browser's session authenticates it, as for files). */
  csvUrl: (settings: ServerConnection.ISettings, id: string): string =>
    `${apiUrl(settings, 'sweeps', id, 'table')}?format=csv`
};

/** The table of one sweep, kept up to date. */
export function SweepTable(props: {
  settings: ServerConnection.ISettings;
  sweepId: string;
  /** The sweep as the server answered its creation, shown until the first poll. */
  initial?: ISweep | null;
  onOpenRun?: (runId: string) => void;
}): JSX.Element {
  const { settings, sweepId } = props;
  const [sweep, setSweep] = React.useState<ISweep | null>(props.initial ?? null);
  const [error, setError] = React.useState('');
  const [sort, setSort] = React.useState<ISweepSort | null>(null);
  const [busy, setBusy] = React.useState(false);
  // Counts the answers (and failures), so polling goes on after an error too.
  const [polls, setPolls] = React.useState(0);

  const load = React.useCallback(async () => {
    try {
      setSweep(await sweepRequests.get(settings, sweepId));
      setError('');
    } catch (err) {
      setError(`Could not read the sweep: ${(err as Error).message}`);
    } finally {
      setPolls(n => n + 1);
    }
  }, [settings, sweepId]);

  React.useEffect(() => {
    if (polls > 0 && !isLive(sweep)) {
      return undefined;
    }
    const timer = window.setTimeout(() => void load(), polls === 0 ? 0 : POLL_MS);
    return () => window.clearTimeout(timer);
  }, [polls, sweep, load]);

  const act = async (what: (settings: ServerConnection.ISettings, id: string) => Promise<ISweep>, label: string) => {
    setBusy(true);
    try {
      setSweep(await what(settings, sweepId));
      setError('');
    } catch (err) {
      setError(`${label}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
      setPolls(n => n + 1); // poll again: a retried sweep runs once more
    }
  };

  if (!sweep) {
    return (
      <div className="orchestr-lab-sweep-panel" data-sweep-id={sweepId}>
        <Message text={error} />
        {error ? null : <p className="orchestr-lab-empty">Loading the sweep…</p>}
      </div>
    );
  }
  const columns = sweepColumns(sweep);
  const members = sortMembers(sweep.members ?? [], columns, sort);
  const failed = retryableCount(sweep);
  return (
    <div className="orchestr-lab-sweep-panel" data-sweep-id={sweep.id} data-state={sweep.state}>
      <header className="orchestr-lab-sweep-header">
        <h2>
          Sweep of <span className="orchestr-lab-sweep-deployment">{sweep.deployment_name}</span>
        </h2>
        <StateChip state={{ type: sweep.state, name: sweep.state } as State} />
        <span className="orchestr-lab-sweep-counts">{describeCounts(sweep)}</span>
        <span className="orchestr-lab-sweep-parallel">at most {sweep.max_parallel} at once</span>
      </header>
      <div className="orchestr-lab-actions">
        <ActionButton
          label={failed ? `Retry failed (${failed})` : 'Retry failed'}
          title="Run the failed and cancelled members again"
          action="retry-sweep"
          disabled={busy || isLive(sweep) || failed === 0}
          onClick={() => void act(sweepRequests.retry, 'Retry failed')}
        />
        <ActionButton
          label="Cancel"
          title="Cancel the members still to run or running"
          action="cancel-sweep"
          disabled={busy || !isRunning(sweep)}
          onClick={() => void act(sweepRequests.cancel, 'Cancel')}
        />
        <a
          className="orchestr-lab-sweep-csv"
          href={sweepRequests.csvUrl(settings, sweep.id)}
          download={`sweep-${sweep.id}.csv`}
        >
          Download CSV
        </a>
      </div>
      <Message text={error} />
      <div className="orchestr-lab-sweep-scroll">
        <table className="orchestr-lab-sweep-table">
          <thead>
            <tr>
              {columns.map(column => {
                const sorted = sort?.key === column.key;
                return (
                  <th
                    key={column.key}
                    data-column={column.name}
                    data-kind={column.kind}
                    aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                    className={`orchestr-lab-sweep-${column.kind}`}
                    title={`Sort by ${column.name}`}
                    onClick={() => setSort(nextSort(sort, column.key))}
                  >
                    {column.name}
                    <span className="orchestr-lab-sweep-arrow">{sorted ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {members.map(member => (
              <tr
                key={member.index}
                data-member={member.index}
                data-run-id={member.flow_run_id}
                data-state={member.state?.type ?? ''}
                title="Show this run in the sidebar"
                onClick={() => props.onOpenRun?.(member.flow_run_id)}
              >
                {columns.map(column => (
                  <td key={column.key} data-column={column.name} className={`orchestr-lab-sweep-${column.kind}`}>
                    {column.kind === 'state' ? (
                      <StateChip state={member.state?.type ? (member.state as State) : null} />
                    ) : (
                      formatCell(member, column)
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The table as a widget (the content of the main-area panel). */
class SweepTableWidget extends ReactWidget {
  constructor(private readonly _props: React.ComponentProps<typeof SweepTable>) {
    super();
    this.addClass('orchestr-lab-sweep-widget');
  }

  protected render(): JSX.Element {
    return <SweepTable {...this._props} />;
  }
}

/** Show sweep `id` in the main area (bring its panel forward when it is open already). */
export function openSweepPanel(
  app: JupyterFrontEnd,
  settings: ServerConnection.ISettings,
  id: string,
  options: { initial?: ISweep | null; onOpenRun?: (runId: string) => void } = {}
): void {
  const widgetId = `orchestr-lab-sweep-${id}`;
  if (!Array.from(app.shell.widgets('main')).some(w => w.id === widgetId)) {
    const panel = new MainAreaWidget({ content: new SweepTableWidget({ settings, sweepId: id, ...options }) });
    panel.id = widgetId;
    panel.title.label = `Sweep · ${options.initial?.deployment_name ?? id.slice(0, 8)}`;
    panel.title.caption = `Sweep ${id}: one row per member run`;
    panel.title.icon = orchestrIcon;
    panel.title.closable = true;
    app.shell.add(panel, 'main');
  }
  app.shell.activateById(widgetId);
}
