/* The entry grid: spreadsheet-like keyboard navigation, pasting a block copied from Excel, and the
   online share computed as you type. No framework, no network: the page works offline. The
   server checks everything again; this only makes typing comfortable. */
(function () {
  "use strict";

  var table = document.getElementById("entry-grid");
  if (!table || table.getAttribute("data-editable") !== "1") { return; }

  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var grid = rows.map(function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll("input[data-field]"));
  });

  function position(input) {
    for (var r = 0; r < grid.length; r++) {
      var c = grid[r].indexOf(input);
      if (c !== -1) { return { row: r, col: c }; }
    }
    return null;
  }

  function focusAt(row, col) {
    if (row < 0 || row >= grid.length) { return false; }
    var cells = grid[row];
    if (col < 0 || col >= cells.length) { return false; }
    cells[col].focus();
    cells[col].select();
    return true;
  }

  /* "6.635" and "6 635" are how Vietnamese spreadsheets print 6635. */
  function parseCount(text) {
    var t = String(text || "").trim();
    if (t === "") { return null; }
    if (/^\d{1,3}([.\s]\d{3})+$/.test(t)) { t = t.replace(/[.\s]/g, ""); }
    if (!/^\d+$/.test(t)) { return NaN; }
    return parseInt(t, 10);
  }

  function formatShare(value) {
    return value.toFixed(2).replace(".", ",") + "%";
  }

  function updateShare(tr) {
    var cell = tr.querySelector("[data-share]");
    if (!cell) { return; }
    function val(field) {
      var input = tr.querySelector('input[data-field="' + field + '"]');
      return input ? parseCount(input.value) : null;
    }
    var citizens = val("online_citizens");
    var businesses = val("online_businesses");
    var total = val("total_received");
    cell.classList.remove("over");
    if ((citizens === null && businesses === null) || total === null || total === 0 ||
        isNaN(citizens) || isNaN(businesses) || isNaN(total)) {
      cell.textContent = "";
      return;
    }
    var online = (citizens || 0) + (businesses || 0);
    /* Half up to two decimals, as the server rounds. */
    var share = Math.round((online * 10000) / total) / 100;
    cell.textContent = formatShare(share);
    if (online > total) { cell.classList.add("over"); }
  }

  table.addEventListener("input", function (event) {
    var tr = event.target.closest("tr");
    if (tr) { updateShare(tr); }
  });

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-field]")) { return; }
    var pos = position(input);
    if (!pos) { return; }
    var moved = false;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    var whole = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    switch (event.key) {
      case "ArrowDown": moved = focusAt(pos.row + 1, pos.col); break;
      case "ArrowUp": moved = focusAt(pos.row - 1, pos.col); break;
      case "ArrowLeft": if (atStart || whole) { moved = focusAt(pos.row, pos.col - 1); } break;
      case "ArrowRight": if (atEnd || whole) { moved = focusAt(pos.row, pos.col + 1); } break;
      case "Enter":
        /* Enter moves down as in a spreadsheet; it never submits half a table by accident. */
        event.preventDefault();
        focusAt(pos.row + (event.shiftKey ? -1 : 1), pos.col);
        return;
      default: return;
    }
    if (moved) { event.preventDefault(); }
  });

  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-field]")) { return; }
    var data = event.clipboardData || window.clipboardData;
    if (!data) { return; }
    var text = data.getData("text/plain") || data.getData("Text");
    if (!text || (text.indexOf("\t") === -1 && text.indexOf("\n") === -1)) { return; }
    event.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    if (lines.length && lines[lines.length - 1] === "") { lines.pop(); }
    var pos = position(input);
    var touched = [];
    lines.forEach(function (line, i) {
      var cells = grid[pos.row + i];
      if (!cells) { return; }
      line.split("\t").forEach(function (value, j) {
        var target = cells[pos.col + j];
        if (target) { target.value = value.trim(); }
      });
      touched.push(rows[pos.row + i]);
    });
    touched.forEach(updateShare);
  });

  rows.forEach(updateShare);
})();
