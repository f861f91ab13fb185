import { AllCommunityModule, ModuleRegistry, themeQuartz } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { companyRows, loadDemoData } from '../shared/demo-data';

ModuleRegistry.registerModules([AllCommunityModule]);

const WORKSPACE = '/acme/company/';
const PORTAL = 'https://portal.mycreditapp.ai/organizations/';

/** A React cell renderer, as apps give AG Grid for links. */
function CompanyLink({ data }) {
  return <a href={`${WORKSPACE}${data.recordId}/overview`}>{data.name}</a>;
}

function PortalLink({ data }) {
  return <a href={`${PORTAL}${data.orgId}`}>Open in MyCreditApp</a>;
}

const COLUMNS = [
  { field: 'name', headerName: 'Company', cellRenderer: CompanyLink, width: 240 },
  { field: 'orgId', headerName: 'MyCreditApp org ID', width: 360, cellClass: 'org-id' },
  { headerName: 'MyCreditApp', cellRenderer: PortalLink, width: 190, sortable: false },
  { field: 'owner', headerName: 'Owner', width: 170 },
  { field: 'city', headerName: 'City', width: 130 },
  { field: 'recordId', headerName: 'Record ID', width: 340 },
];

function Grid({ data }) {
  const grid = useRef(null);
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => companyRows(data).map((row, i) => ({ ...row, recordId: data.recordGuids[i % data.recordGuids.length] })), [data]);
  // The grid changes a cell in place: the first company shown moves to the spare organization.
  const editFirst = () => {
    const first = grid.current.api.getDisplayedRowAtIndex(0).data;
    grid.current.api.applyTransaction({ update: [{ ...first, name: `${first.name} (edited)`, orgId: data.disconnected[20].id }] });
  };
  return (
    <>
      <div className="toolbar">
        <input aria-label="Search companies" placeholder="Search companies" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" onClick={editFirst}>
          Edit first company
        </button>
      </div>
      <div className="grid">
        <AgGridReact
          ref={grid}
          theme={themeQuartz}
          rowData={rows}
          columnDefs={COLUMNS}
          defaultColDef={{ sortable: true, resizable: true }}
          getRowId={({ data: row }) => row.key}
          quickFilterText={filter}
        />
      </div>
    </>
  );
}

const data = await loadDemoData();
createRoot(document.getElementById('root')).render(
  <>
    <header>Attio</header>
    <main>
      <h1>Companies</h1>
      <Grid data={data} />
    </main>
  </>,
);
