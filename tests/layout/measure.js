// Measures the layout of every card of the page once it has loaded, and writes the figures
// as JSON into <pre id="ap-measure"> for the test to read from the dumped DOM. A card is a
// `.card` element inside an element carrying data-kind and data-card, and inside `.ap-front`
// or `.ap-back`. All positions are in CSS px from the card's content box.
addEventListener("load", function () {
  function contentBox(el) {
    var r = el.getBoundingClientRect();
    var s = getComputedStyle(el);
    return {
      left: r.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
      right: r.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight),
      top: r.top + parseFloat(s.borderTopWidth) + parseFloat(s.paddingTop),
    };
  }
  // Where the first visible text is drawn: what a student sees as the question's place.
  function firstTextTop(card) {
    var walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.data.trim() && !node.parentElement.closest("style, script")
          ? NodeFilter.FILTER_ACCEPT
          : NodeFilter.FILTER_SKIP;
      },
    });
    var node = walker.nextNode();
    if (!node) return null;
    var range = document.createRange();
    range.selectNodeContents(node);
    return range.getClientRects()[0].top;
  }
  // A box that scrolls sideways and shows that there is more: the card's scroll shadows.
  function cued(el) {
    var s = getComputedStyle(el);
    return /auto|scroll/.test(s.overflowX) && /gradient/.test(s.backgroundImage);
  }
  // The nearest box between el and the card that clips el sideways, if any.
  function clipper(el, card) {
    for (var a = el.parentElement; a && a !== card; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return a;
    }
    return null;
  }
  function label(el) {
    return el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
  }
  var cards = [];
  document.querySelectorAll(".card").forEach(function (card) {
    var box = contentBox(card);
    var holder = card.closest("[data-card]");
    var found = {
      kind: holder.dataset.kind,
      card: holder.dataset.card,
      side: card.closest(".ap-front") ? "front" : "back",
      width: box.right - box.left,
      spill: card.scrollWidth - card.clientWidth,
      question: firstTextTop(card) - box.top,
      outside: [],
      scrollers: [],
      lists: [],
      lines: [],
    };
    card.querySelectorAll("*").forEach(function (el) {
      if (el.closest("style, script")) return;
      var r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
        var clip = clipper(el, card);
        if (!(clip && cued(clip))) {
          found.outside.push(label(el) + " " + Math.round(r.left - box.left) + ".." +
            Math.round(r.right - box.left) + " of " + Math.round(box.right - box.left));
        }
      }
      var overflowX = getComputedStyle(el).overflowX;
      if (overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
        found.scrollers.push({ element: label(el), cue: cued(el) });
      }
      var name = el.tagName.toLowerCase();
      if ((name === "ul" || name === "ol") && !el.parentElement.closest("li, table")) {
        found.lists.push({
          list: r.left - box.left,
          item: el.querySelector("li").getBoundingClientRect().left - box.left,
        });
      }
      if (name === "p" && el.parentElement.matches(".ap-answer, .ap-extra, .ap-cloze")) {
        found.lines.push(r.left - box.left);
      }
    });
    cards.push(found);
  });
  var out = document.createElement("pre");
  out.id = "ap-measure";
  out.textContent = JSON.stringify({ viewport: innerWidth, cards: cards });
  document.body.appendChild(out);
});
