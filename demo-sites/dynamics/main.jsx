import { createRoot } from 'react-dom/client';
import { loadDemoData } from '../shared/demo-data';

const ROWS = 30;

// Dynamics shows its own record GUIDs everywhere; only the "MyCreditApp org" column holds
// organization IDs (a site rule points the extension at it through its data-id).
function Grid({ data }) {
  const orgs = [...data.connected.slice(0, 10), ...data.disconnected.slice(0, 5), ...data.notConnected.slice(0, 10).map((id) => ({ id, name: '' }))];
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    accountId: data.recordGuids[i * 3],
    contactId: data.recordGuids[i * 3 + 1],
    ownerId: data.recordGuids[i * 3 + 2],
    name: orgs[i]?.name || `Account ${i + 1}`,
    orgId: orgs[i]?.id ?? '',
  }));
  return (
    <div role="grid" aria-label="Active Accounts" aria-rowcount={ROWS + 1}>
      <div role="row">
        <div role="columnheader">Account Name</div>
        <div role="columnheader">Account ID</div>
        <div role="columnheader">Primary Contact</div>
        <div role="columnheader">Owner</div>
        <div role="columnheader">MyCreditApp org</div>
      </div>
      {rows.map((row) => (
        <div role="row" key={row.accountId} data-id={`row-${row.accountId}`}>
          <div role="gridcell" className="name" title={row.name}>{row.name}</div>
          <div role="gridcell" className="guid" data-id="cell-accountid">{row.accountId}</div>
          <div role="gridcell" className="guid" data-id="cell-primarycontactid">{row.contactId}</div>
          <div role="gridcell" className="guid" data-id="cell-ownerid">{row.ownerId}</div>
          <div role="gridcell" className="guid" data-id="cell-mca_orgid">{row.orgId}</div>
        </div>
      ))}
    </div>
  );
}

const data = await loadDemoData();
createRoot(document.getElementById('root')).render(
  <>
    <header>Dynamics 365 · Sales Hub</header>
    <main>
      <h1>Active Accounts</h1>
      <Grid data={data} />
    </main>
  </>,
);
