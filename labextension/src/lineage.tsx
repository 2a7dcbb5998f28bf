/**
 * The sidebar's "Assets" section: the assets runs have materialized (`@materialize`) and, for
 * the one selected, its lineage: the assets it was made from, those made from it, and its
 * latest materializations, each linking to the run detail.
 */
import * as React from 'react';

import { ActionButton, Message } from './components';
import { formatTime } from './format';
import { OrchestrModel } from './model';
import type { components } from './openapi';
import { requestAPI } from './request';

type Schemas = components['schemas'];
export type Asset = Required<Schemas['AssetRead']>;
export type AssetDetail = Required<Schemas['AssetDetail']>;
type AssetPage = Required<Schemas['AssetPage']>;

/** Assets listed at once (the API's page is larger; the section is a sidebar's corner). */
const SHOWN = 200;

export function AssetsSection(props: { model: OrchestrModel; onOpenRun: (id: string) => void }): JSX.Element {
  const settings = props.model.api.settings;
  const [assets, setAssets] = React.useState<Asset[] | null>(null);
  const [total, setTotal] = React.useState(0);
  const [selected, setSelected] = React.useState<string | null>(null);
  const [detail, setDetail] = React.useState<AssetDetail | null>(null);
  const [error, setError] = React.useState('');

  const load = React.useCallback(async () => {
    try {
      const page = await requestAPI<AssetPage>(settings, ['assets'], { query: { limit: SHOWN } });
      setAssets(page.items as Asset[]);
      setTotal(page.total);
      setError('');
    } catch (err) {
      setError(`Assets could not be read: ${(err as Error).message}`);
    }
  }, [settings]);

  React.useEffect(() => {
    void load();
  }, [load]);

  React.useEffect(() => {
    if (selected === null) {
      setDetail(null);
      return;
    }
    let current = true;
    requestAPI<AssetDetail>(settings, ['assets', selected])
      .then(found => current && setDetail(found))
      .catch(err => current && setError(`Asset ${selected} could not be read: ${(err as Error).message}`));
    return () => {
      current = false;
    };
  }, [settings, selected]);

  return (
    <section className="orchestr-lab-section orchestr-lab-assets">
      <h3>
        Assets <ActionButton label="↻" title="Refresh assets" onClick={() => void load()} />
      </h3>
      <Message text={error} />
      {assets === null ? null : assets.length === 0 ? (
        <p className="orchestr-lab-empty">No assets yet. A @materialize task records its assets when it runs.</p>
      ) : (
        <ul className="orchestr-lab-asset-list">
          {assets.map(asset => (
            <li key={asset.key}>
              <button
                className={`orchestr-lab-asset ${asset.key === selected ? 'orchestr-lab-asset-selected' : ''}`}
                title={asset.key}
                onClick={() => setSelected(asset.key === selected ? null : asset.key)}
              >
                {String(asset.properties?.name ?? asset.key)}
              </button>
            </li>
          ))}
          {total > assets.length ? <li className="orchestr-lab-empty">{total - assets.length} more…</li> : null}
        </ul>
      )}
      {detail && detail.key === selected ? (
        <Lineage detail={detail} onSelect={setSelected} onOpenRun={props.onOpenRun} />
      ) : null}
    </section>
  );
}

function Lineage(props: {
  detail: AssetDetail;
  onSelect: (key: string) => void;
  onOpenRun: (id: string) => void;
}): JSX.Element {
  const { detail } = props;
  const side = (title: string, keys: string[], cls: string) => (
    <div className={`orchestr-lab-lineage-side ${cls}`}>
      <h4>{title}</h4>
      {keys.length === 0 ? (
        <p className="orchestr-lab-empty">none</p>
      ) : (
        <ul>
          {keys.map(key => (
            <li key={key}>
              <button className="orchestr-lab-asset-link" title={key} onClick={() => props.onSelect(key)}>
                {key}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <div className="orchestr-lab-lineage" data-asset-key={detail.key}>
      <p className="orchestr-lab-lineage-key">{detail.key}</p>
      {side('Upstream', detail.upstream, 'orchestr-lab-lineage-upstream')}
      {side('Downstream', detail.downstream, 'orchestr-lab-lineage-downstream')}
      <div className="orchestr-lab-lineage-side orchestr-lab-lineage-materializations">
        <h4>Materializations</h4>
        {detail.materializations.length === 0 ? (
          <p className="orchestr-lab-empty">none (only read by runs)</p>
        ) : (
          <ul>
            {detail.materializations.map((m, i) => (
              <li key={i}>
                <span className={`orchestr-lab-materialization-${String(m.status)}`}>{String(m.status)}</span>{' '}
                {formatTime(String(m.occurred))}{' '}
                {m.flow_run_id ? (
                  <button className="orchestr-lab-asset-link" onClick={() => props.onOpenRun(String(m.flow_run_id))}>
                    {String(m.flow_run_name ?? m.flow_run_id)}
                  </button>
                ) : (
                  <span className="orchestr-lab-empty">no flow run</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
