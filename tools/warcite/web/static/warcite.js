/* warcite serve: copy buttons, and the reader's select-to-cite panel.
   The panel shows what the server's quote endpoint returns: warcite.quote.find_quotes
   and render_quotes, the code of `warcite quote`. */
(function () {
  "use strict";

  function copyFrom(button) {
    var target = document.getElementById(button.getAttribute("data-target"));
    if (!target) { return; }
    var text = target.textContent;
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(target); });
    } else {
      selectText(target);
    }
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (button) { copyFrom(button); }
  });

  var text = document.getElementById("text");
  var panel = document.getElementById("panel");
  if (!text || !panel) { return; }
  var body = document.getElementById("panel-body");
  var endpoint = text.getAttribute("data-quote");
  var counter = 0;

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = content; }
    return node;
  }

  function link(href, label, className) {
    var node = element("a", className, label);
    node.href = href;
    return node;
  }

  function show(data) {
    body.textContent = "";
    if (data.error) {
      body.appendChild(element("p", "error quote-error", data.error));
    } else {
      data.matches.forEach(function (match, index) {
        var block = element("section", "quote-match");
        if (data.matches.length > 1) {
          block.appendChild(element("h3", null, "Match " + (index + 1) + " of " + data.matches.length));
        }
        block.appendChild(element("blockquote", "quote-exact", match.exact));
        var pinpoint = match.paragraph === match.paragraph_end
          ? "para. " + match.paragraph
          : "paras. " + match.paragraph + "\u2013" + match.paragraph_end;
        block.appendChild(element("p", "quote-pinpoint", pinpoint));
        var citation = element("p", "quote-citation", match.citation);
        citation.id = "quote-citation-" + index;
        block.appendChild(citation);
        var copy = element("button", "copy", "Copy");
        copy.type = "button";
        copy.setAttribute("data-target", citation.id);
        block.appendChild(copy);
        if (match.text_fragment) {
          var fragment = element("p", "quote-fragment");
          fragment.appendChild(link(match.text_fragment, match.text_fragment, "fragment-live"));
          block.appendChild(fragment);
        } else {
          block.appendChild(element("p", "quote-fragment", "no text fragment link: " + match.text_fragment_problem));
        }
        if (data.replay && data.replay[index]) {
          var replay = element("p", "quote-replay");
          replay.appendChild(link(data.replay[index], "Open the passage in the archived page", "fragment-replay"));
          block.appendChild(replay);
        }
        body.appendChild(block);
      });
      var terminal = element("details", "quote-terminal");
      terminal.appendChild(element("summary", null, "As warcite quote prints it"));
      terminal.appendChild(element("pre", "quote-text", data.text));
      body.appendChild(terminal);
    }
    panel.hidden = false;
  }

  function quoteSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) { return; }
    var phrase = selection.toString().trim();
    if (!phrase) { return; }
    var ticket = ++counter;
    panel.setAttribute("aria-busy", "true");
    fetch(endpoint + "?q=" + encodeURIComponent(phrase), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (ticket !== counter) { return; }
        panel.removeAttribute("aria-busy");
        show(data);
      })
      .catch(function (error) {
        panel.removeAttribute("aria-busy");
        show({ error: "the quote could not be looked up: " + error });
      });
  }

  text.addEventListener("mouseup", function () { setTimeout(quoteSelection, 0); });
  text.addEventListener("keyup", function (event) {
    if (event.shiftKey) { setTimeout(quoteSelection, 0); }
  });
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true;
  });
})();
