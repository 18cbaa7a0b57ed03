/*
 * The requests of ods-widgets, in plain JavaScript (read from opendatasoft/ods-widgets: the dataset
 * context src/services/contexts.js, ods-facets src/directives/facets.js, ods-table
 * src/directives/table.js, ods-map auto mode src/services/map-layer-renderer.js and
 * map-rendering-shape-preview.js): the same endpoints, parameters and fields read.
 * The page records what it shows in data- attributes of <body> for the test to read.
 */
'use strict';
(function () {
  var DATASET = 'us-counties';
  var context = { refine: null };

  function qs(params) {
    return Object.keys(params)
      .filter(function (k) { return params[k] !== null && params[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]); })
      .join('&');
  }
  function api(path, params) {
    var all = Object.assign({ dataset: DATASET, timezone: 'UTC' }, params);
    if (context.refine) all['refine.state'] = context.refine;
    return fetch(path + '?' + qs(all)).then(function (r) {
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
  }
  /** ods-widgets' Leaflet bounds parameter: lat_sw,lng_sw,lat_ne,lng_ne. */
  function bbox(map) {
    var b = map.getBounds();
    return [b.getSouthWest().lat, b.getSouthWest().lng, b.getNorthEast().lat, b.getNorthEast().lng].join(',');
  }

  var map = L.map('map', { zoomControl: false, attributionControl: false, preferCanvas: false });
  var layer = L.layerGroup().addTo(map);
  var body = document.body;

  function drawMap() {
    // auto mode: boundingbox of the view, then geopreview when most geometries are shapes
    return api('/api/records/1.0/boundingbox/', { 'geofilter.bbox': bbox(map) }).then(function (box) {
      var points = (box.geometries && box.geometries.Point) || 0;
      if (points > box.count / 2) throw new Error('a point dataset was expected');
      var rows = 1000;
      return api('/api/records/1.0/geopreview/', { rows: rows, clusterprecision: map.getZoom(), 'geofilter.bbox': bbox(map) }).then(function (shapes) {
        layer.clearLayers();
        var digests = {};
        shapes.forEach(function (s) {
          digests[s.geo_digest] = true;
          L.geoJSON(s.geometry, { style: { color: '#fff', weight: 1, fillColor: '#c32d1c', fillOpacity: 0.5 } }).addTo(layer);
        });
        body.dataset.shapes = String(shapes.length);
        body.dataset.digests = String(Object.keys(digests).length);
        body.dataset.incomplete = String(shapes.length >= rows);
        body.dataset.boxCount = String(box.count);
      });
    });
  }

  function drawFacets() {
    return api('/api/records/1.0/search/', { rows: 0, facet: 'state', 'facetsort.state': 'alphanum' }).then(function (res) {
      var ul = document.getElementById('facets');
      ul.innerHTML = '';
      var group = (res.facet_groups || []).filter(function (g) { return g.name === 'state'; })[0];
      (group ? group.facets : []).forEach(function (f) {
        var li = document.createElement('li');
        li.textContent = f.name + ' (' + f.count + ')';
        li.dataset.name = f.name;
        li.dataset.count = String(f.count);
        if (f.state === 'refined') li.className = 'refined';
        li.onclick = function () { refine(f.name); };
        ul.appendChild(li);
      });
      body.dataset.facets = String(ul.children.length);
    });
  }

  function drawTable() {
    return api('/api/records/1.0/search/', { rows: 10, start: 0, sort: 'name', fields: 'name,state,area_km2' }).then(function (res) {
      var tbody = document.querySelector('#table tbody');
      tbody.innerHTML = '';
      res.records.forEach(function (r) {
        var tr = document.createElement('tr');
        [r.fields.name, r.fields.state, r.fields.area_km2].forEach(function (v) {
          var td = document.createElement('td');
          td.textContent = v === undefined ? '' : String(v);
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      document.getElementById('nhits').textContent = res.nhits + ' counties';
      body.dataset.nhits = String(res.nhits);
      body.dataset.start = String(res.parameters.start);
      body.dataset.tableRows = String(tbody.children.length);
    });
  }

  function render() {
    body.dataset.ready = 'false';
    return Promise.all([drawMap(), drawFacets(), drawTable()]).then(
      function () { body.dataset.ready = 'true'; },
      function (e) { body.dataset.ready = 'error'; body.dataset.error = String(e && e.message); },
    );
  }

  function refine(state) {
    context.refine = context.refine === state ? null : state;
    // fit the map to the refined records, as ods-map does on a context change
    api('/api/records/1.0/boundingbox/', {}).then(function (box) {
      map.fitBounds([[box.bbox[1], box.bbox[0]], [box.bbox[3], box.bbox[2]]]);
      return render();
    });
  }
  window.refineState = refine;

  // ods-map with no location: fit the dataset's bounding box first, then draw
  fetch('/api/datasets/1.0/' + DATASET + '/?extrametas=true&interopmetas=true&assetmetas=true&source=&timezone=UTC')
    .then(function (r) { return r.json(); })
    .then(function (dataset) {
      body.dataset.title = dataset.metas.title;
      body.dataset.domain = dataset.metas.domain;
      return api('/api/records/1.0/boundingbox/', {});
    })
    .then(function (box) {
      // the contiguous states (the whole box spans the antimeridian through the Aleutians)
      map.fitBounds([[24, -125], [50, -66]]);
      body.dataset.fullCount = String(box.count);
      return render();
    });
})();
