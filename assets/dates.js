/* The date pickers speak Chinese whatever the browser's language. Dash's DatePickerRange formats
 * its calendar with the date-fns locales in window.dateFns.locale, chosen by the browser's
 * languages and, when none matches, the first one there: this file puts exactly one there, built
 * from the words the page carries (the shell's #date-words, from dashboard/strings.py). Only the
 * formatting side of a date-fns locale is needed: the pickers parse typed dates as YYYY-MM-DD. */
(function () {
  let words = null;
  function w() {
    if (!words) {
      const el = document.getElementById("date-words");
      try { words = el ? JSON.parse(el.getAttribute("data-words")) : null; } catch (e) { words = null; }
    }
    return words || {};
  }
  function pick(list, i) { const l = w()[list]; return l && l[i] !== undefined ? l[i] : String(i); }
  const localize = {
    ordinalNumber: (n) => String(n),
    era: (i) => pick("eras", i),
    quarter: (q) => pick("quarters", q - 1),
    month: (m) => pick("months", m),
    day: (d, o) => pick(o && o.width === "wide" ? "days_wide" : o && o.width === "abbreviated" ? "days_abbreviated"
      : "days_short", d),
    dayPeriod: (p) => pick("am_pm", p === "pm" || p === "PM" ? 1 : 0),
  };
  const long = (pattern) => () => pattern;
  const none = () => null;
  const zhCN = {
    code: "zh-CN",
    localize: localize,
    formatLong: { date: long("y-MM-dd"), time: long("HH:mm:ss"), dateTime: long("{{date}} {{time}}") },
    formatDistance: (token, count) => String(count),
    formatRelative: () => "P",
    match: { ordinalNumber: none, era: none, quarter: none, month: none, day: none, dayPeriod: none },
    options: { weekStartsOn: 1, firstWeekContainsDate: 4 },
  };
  window.dateFns = Object.assign({}, window.dateFns);
  window.dateFns.locale = { zhCN: zhCN };
})();

/* 自定义 asks for its dates: the prompt shows while the range is "custom" and a date is missing
 * (layouts/common.py dates_prompt). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  gridscreen_dates: {
    promptHidden: function (range, start, end) {
      return !(range === "custom" && !(start && end));
    },
  },
});
