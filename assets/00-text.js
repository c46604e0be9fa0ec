/* Markup from data, safely: the one way every script here puts data (names, titles, codes) into
 * the page. Strings become text nodes (document.createTextNode), never HTML, so a title such as
 * "<img src=x onerror=…>" shows as those characters. Leaflet takes an element wherever it takes an
 * HTML string (bindTooltip, divIcon's html), so nothing needs a string of markup.
 *
 * Dash loads assets in alphabetical order: the "00-" prefix loads this file first, so
 * window.gridscreen.text exists before any other script here is read. */
window.gridscreen = Object.assign({}, window.gridscreen, {
  text: {
    /* Append each child to ``parent``: a Node as it is, null/undefined skipped, anything else as
     * its text. Arrays are flattened. */
    append: function (parent, children) {
      [].concat(children === undefined ? [] : children).forEach(function (c) {
        if (c === null || c === undefined || c === false) return;
        if (Array.isArray(c)) {
          window.gridscreen.text.append(parent, c);
        } else {
          parent.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
        }
      });
      return parent;
    },
    /* An element <tag class=className> holding ``children`` (see append). */
    el: function (tag, className, children) {
      const e = document.createElement(tag);
      if (className) e.className = className;
      return window.gridscreen.text.append(e, children);
    },
    /* A tooltip of lines, one <div> each: the first a name (class tip-name, set bold by the
     * theme), the others plain; each line is a string or a list of strings and nodes. */
    lines: function (lines) {
      const T = window.gridscreen.text;
      return T.el("div", "tip-lines", lines.map(function (line, i) {
        return T.el("div", i ? "tip-line" : "tip-name", line);
      }));
    },
  },
});
