import { DetailsList, DetailsListLayoutMode, Link, SelectionMode, registerIcons } from '@fluentui/react';
import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { companyRows, loadDemoData } from '../shared/demo-data';

// Dynamics 365's model-driven grids are Fluent UI's DetailsList. Its icon font comes from a CDN the
// demo cannot reach: the few icons the grid shows are drawn as text.
registerIcons({ icons: { SortUp: '↑', SortDown: '↓', ChevronDown: '▾', CircleRing: '○', StatusCircleCheckmark: '✓', CheckMark: '✓' } });

const PORTAL = 'https://portal.mycreditapp.ai/organizations/';

function accounts(data) {
  return companyRows(data).map((row, i) => ({ ...row, accountId: data.recordGuids[i % data.recordGuids.length] }));
}

const COLUMNS = [
  {
    key: 'name',
    name: 'Account Name',
    fieldName: 'name',
    minWidth: 120,
    maxWidth: 260,
    isResizable: true,
    onRender: (item) => <Link href={`/main.aspx?pagetype=entityrecord&etn=account&id=${item.accountId}`}>{item.name}</Link>,
  },
  { key: 'orgId', name: 'MyCreditApp org ID', fieldName: 'orgId', minWidth: 150, maxWidth: 420, isResizable: true, className: 'org-id' },
  {
    key: 'portal',
    name: 'MyCreditApp',
    minWidth: 110,
    maxWidth: 140,
    isResizable: true,
    onRender: (item) => <Link href={`${PORTAL}${item.orgId}`}>Open in MyCreditApp</Link>,
  },
  { key: 'owner', name: 'Owner', fieldName: 'owner', minWidth: 100, maxWidth: 160, isResizable: true },
  { key: 'city', name: 'City', fieldName: 'city', minWidth: 70, maxWidth: 120, isResizable: true },
  { key: 'accountId', name: 'Account ID', fieldName: 'accountId', minWidth: 260, maxWidth: 320, isResizable: true },
];

function Grid({ data }) {
  const all = useMemo(() => accounts(data), [data]);
  const [sort, setSort] = useState({ key: 'name', descending: false });
  const items = useMemo(() => {
    const sorted = [...all].sort((a, b) => String(a[sort.key]).localeCompare(String(b[sort.key])));
    return sort.descending ? sorted.reverse() : sorted;
  }, [all, sort]);
  const columns = COLUMNS.map((column) => ({
    ...column,
    isSorted: column.key === sort.key,
    isSortedDescending: column.key === sort.key && sort.descending,
  }));
  return (
    <div className="grid" data-is-scrollable="true">
      <DetailsList
        ariaLabelForGrid="Active Accounts"
        items={items}
        columns={columns}
        getKey={(item) => item.key}
        setKey="accounts"
        layoutMode={DetailsListLayoutMode.fixedColumns}
        selectionMode={SelectionMode.multiple}
        onColumnHeaderClick={(_event, column) => {
          if (!column.fieldName) return;
          setSort((s) => ({ key: column.fieldName, descending: s.key === column.fieldName ? !s.descending : false }));
        }}
      />
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
