// html-validate's rules for every page the browser tests load (browsing.html_problems): the HTML
// standard and the tool's recommended rules, less four, each with the reason.
module.exports = {
  root: true,
  extends: ["html-validate:recommended"],
  rules: {
    // A question's checkboxes share its name, as the HTML standard means them to (the server
    // reads the list); the rule's default lets only radios share one.
    "form-dup-name": ["error", { shared: ["radio", "checkbox", "submit", "button", "reset"] }],
    // The responsive tables set table, row and cell roles on purpose: on a phone their CSS
    // makes rows blocks, and some browsers then drop a table's meaning for screen readers.
    "no-redundant-role": "off",
    // Phone numbers keep their plain hyphens, so they copy, dial and read aloud as typed; CSS
    // (white-space: nowrap on tel: links) keeps them on one line instead.
    "tel-non-breaking": "off",
    // A question page's title is its whole question, so a screen reader says what it asks;
    // 70 characters is a search-results length, not an accessibility one.
    "long-title": "off",
  },
};
