// The map of a dataset (Leaflet, no tiles: the land of Natural Earth from the world-atlas package is
// drawn under the data, everything comes from this gateway).
//
// Where the records come from is one function per kind of dataset, so that another source (the
// geopreview endpoint of ods-map, for shapes) is a local change:
//   points: /api/records/1.0/geocluster/ for the view (clusters with counts, re-asked on every move);
//   shapes: /api/records/1.0/search/?format=geojson, the first SHAPE_LIMIT shapes of the filtered set.
// The view first fits /api/records/1.0/boundingbox/ of the filtered records.
import { apiGet } from '../common/api.js';
import { count, errorText, fill, formatCount, h, setStatus } from '../common/dom.js';
import { unwrapGeometry } from '../common/geometry.js';

const SHAPE_LIMIT = 1000;
const L = window.L;

const unwrapFeatures = (features) => features.map((f) => ({ ...f, geometry: unwrapGeometry(f.geometry) }));

let landLayer;
async function land(map) {
  if (landLayer) return landLayer.addTo(map);
  const res = await fetch('/assets/vendor/world-atlas/land-110m.json');
  const topology = await res.json();
  const geojson = window.topojson.feature(topology, topology.objects.land);
  landLayer = L.geoJSON(unwrapFeatures(geojson.features), { interactive: false, style: { color: '#b9b29c', weight: 0.6, fillColor: '#f1eee4', fillOpacity: 1 } });
  return landLayer.addTo(map);
}

export function geoKindOf(dataset) {
  const types = new Set((dataset.fields ?? []).map((f) => f.type));
  if (types.has('geo_shape')) return 'shape';
  if (types.has('geo_point_2d')) return 'point';
  return 'none';
}

/** The field whose value names a record in a popup. */
function titleField(dataset) {
  const viz = dataset.extra_metas?.visualization ?? {};
  const fields = dataset.fields ?? [];
  if (typeof viz.map_tooltip_title === 'string' && fields.some((f) => f.name === viz.map_tooltip_title)) return viz.map_tooltip_title;
  const text = fields.filter((f) => f.type === 'text');
  const has = (f, a) => (f.annotations ?? []).some((x) => x.name === a);
  return (text.find((f) => has(f, 'sortable')) ?? text.find((f) => has(f, 'id')) ?? text[0])?.name;
}

function popupContent(dataset, fieldsOfRecords, more) {
  const title = titleField(dataset);
  const labels = new Map((dataset.fields ?? []).map((f) => [f.name, f.label]));
  const shown = (dataset.fields ?? []).filter((f) => f.type !== 'geo_shape' && f.type !== 'geo_point_2d' && f.type !== 'file').slice(0, 6);
  return h(
    'div',
    { class: 'popup' },
    fieldsOfRecords.map((fields) =>
      h(
        'div',
        { class: 'popup-record' },
        h('strong', {}, title && fields[title] !== undefined ? String(fields[title]) : 'Record'),
        h('dl', {}, shown.filter((f) => f.name !== title && fields[f.name] !== undefined).map((f) => [h('dt', {}, labels.get(f.name) ?? f.name), h('dd', {}, String(fields[f.name]).slice(0, 120))])),
      ),
    ),
    more > 0 ? h('p', { class: 'muted' }, `and ${formatCount(more)} more here`) : null,
  );
}

const radius = (n) => Math.round(14 + 6 * Math.log10(Math.max(1, n)));

export function createMap(panel) {
  const container = panel.querySelector('#map');
  const summary = panel.querySelector('#map-summary');
  let map;
  let dataLayer;
  let generation = 0;
  let current; // { dataset, filters, kind, nhits }
  let fitting = false; // the view is being fitted by show(), which draws once it is done

  function ensureMap() {
    if (map) return map;
    map = L.map(container, { worldCopyJump: true, minZoom: 1, maxZoom: 18, zoomSnap: 1 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Land: Natural Earth (world-atlas)');
    map.setView([20, 0], 2);
    land(map).catch(() => undefined);
    map.on('moveend', () => {
      // A hidden map (another tab) has no size: Leaflet still moves it on a window resize. It is
      // redrawn when it shows again (resize() makes Leaflet measure it, which moves it again).
      const size = map.getSize();
      if (current?.kind === 'point' && !fitting && !panel.hidden && size.x > 0 && size.y > 0) drawPoints(generation);
    });
    return map;
  }

  function clearData() {
    if (dataLayer) dataLayer.remove();
    dataLayer = L.layerGroup().addTo(map);
  }

  async function drawPoints(gen) {
    const { dataset, filters } = current;
    const b = map.getBounds().pad(0.1);
    const zoom = Math.max(0, Math.min(29, Math.floor(map.getZoom())));
    const bbox = `${Math.max(-90, b.getSouth())},${b.getWest()},${Math.min(90, b.getNorth())},${b.getEast()}`;
    setStatus(panel, 'loading');
    try {
      const body = await apiGet('/api/records/1.0/geocluster/', [
        ['dataset', dataset.datasetid],
        ...filters,
        ['clusterprecision', zoom],
        ['clusterdistance', 50],
        ['geofilter.bbox', bbox],
      ]);
      if (gen !== generation) return;
      clearData();
      let total = 0;
      for (const c of body.clusters) {
        total += c.count;
        const [lat, lon] = c.cluster_center;
        const size = radius(c.count);
        const icon = L.divIcon({
          className: 'cluster-icon',
          iconSize: [size * 2, size * 2],
          html: h('span', { class: c.count === 1 ? 'cluster single' : 'cluster', dataset: { count: String(c.count) } }, c.count === 1 ? '' : formatCount(c.count)),
        });
        const marker = L.marker([lat, lon], { icon, title: `${formatCount(c.count)} record${c.count === 1 ? '' : 's'}` }).addTo(dataLayer);
        marker.on('click', () => {
          if (c.count > 1 && c.cluster && c.cluster.type !== 'Point') map.fitBounds(L.geoJSON(c.cluster).getBounds(), { maxZoom: 18 });
          else if (c.count > 5) map.setView([lat, lon], Math.min(18, map.getZoom() + 3));
          else showRecordsAt(marker, lat, lon);
        });
      }
      fill(summary, count(total, { id: 'map-count' }), ` record${total === 1 ? '' : 's'} in view, in `, count(body.clusters.length, { id: 'map-clusters' }), ` cluster${body.clusters.length === 1 ? '' : 's'}. Click a cluster to zoom in, a point to see it.`);
      setStatus(panel, 'ready');
    } catch (e) {
      if (gen === generation) setStatus(panel, 'error', errorText(e));
    }
  }

  async function showRecordsAt(marker, lat, lon) {
    const { dataset, filters } = current;
    try {
      const body = await apiGet('/api/records/1.0/search/', [['dataset', dataset.datasetid], ...filters, ['geofilter.distance', `${lat},${lon},10`], ['rows', 5]]);
      marker.bindPopup(popupContent(dataset, body.records.map((r) => r.fields), Math.max(0, body.nhits - body.records.length)), { maxWidth: 320 }).openPopup();
    } catch (e) {
      marker.bindPopup(h('p', {}, errorText(e))).openPopup();
    }
  }

  async function drawShapes(gen) {
    const { dataset, filters } = current;
    setStatus(panel, 'loading');
    try {
      const body = await apiGet('/api/records/1.0/search/', [['dataset', dataset.datasetid], ...filters, ['format', 'geojson'], ['rows', SHAPE_LIMIT]]);
      if (gen !== generation) return;
      clearData();
      const features = body.features.filter((f) => f.geometry);
      L.geoJSON(unwrapFeatures(features), {
        style: { color: '#1f5f8b', weight: 1, fillColor: '#3a8fd0', fillOpacity: 0.35 },
        pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 5 }),
        onEachFeature: (f, layer) => layer.bindPopup(() => popupContent(dataset, [f.properties], 0), { maxWidth: 320 }),
      }).addTo(dataLayer);
      fill(
        summary,
        count(features.length, { id: 'map-count' }),
        ` shape${features.length === 1 ? '' : 's'} drawn`,
        current.nhits > SHAPE_LIMIT ? ` (the first ${formatCount(SHAPE_LIMIT)} of ${formatCount(current.nhits)}: filter to see the others)` : '',
        '. Click a shape to see its record.',
      );
      setStatus(panel, 'ready');
    } catch (e) {
      if (gen === generation) setStatus(panel, 'error', errorText(e));
    }
  }

  return {
    /** Shows the filtered records of the dataset (nhits: how many the search found). */
    async show(dataset, filters, nhits) {
      const gen = ++generation;
      current = { dataset, filters, kind: geoKindOf(dataset), nhits };
      ensureMap();
      map.invalidateSize();
      setStatus(panel, 'loading');
      try {
        const box = await apiGet('/api/records/1.0/boundingbox/', [['dataset', dataset.datasetid], ...filters]);
        if (gen !== generation) return;
        if (box.count === 0 || box.bbox.length !== 4) {
          clearData();
          fill(summary, count(0, { id: 'map-count' }), ' records with a location.');
          setStatus(panel, 'ready');
          return;
        }
        const [minLon, minLat, maxLon, maxLat] = box.bbox;
        // A single point (or a tiny area): a sensible zoom rather than the deepest one.
        fitting = true;
        try {
          map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { padding: [24, 24], maxZoom: 12, animate: false });
        } finally {
          fitting = false;
        }
      } catch (e) {
        if (gen === generation) setStatus(panel, 'error', errorText(e));
        return;
      }
      if (current.kind === 'point') await drawPoints(gen);
      else await drawShapes(gen);
    },
    /** The panel became visible: Leaflet must measure it again. */
    resize() {
      if (map) map.invalidateSize();
    },
  };
}
