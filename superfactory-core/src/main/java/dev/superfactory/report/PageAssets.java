package dev.superfactory.report;

/**
 * The report page's own stylesheet and script, inlined so the page opens with no network. The
 * script only turns SVG {@code <title>} tooltips into a styled floating box; without it the page
 * reads the same and the browser shows the titles natively.
 */
public final class PageAssets {
  private PageAssets() {}

  public static final String CSS = """
      :root{--bg:#f4f5f7;--panel:#fff;--ink:#1f2933;--muted:#66707d;--line:#e3e6ea;--head:#1e2a38}
      *{box-sizing:border-box}
      html{-webkit-text-size-adjust:100%}
      body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
      .wrap{max-width:1180px;margin:0 auto;padding:0 24px}
      header.top{background:var(--head);color:#eef2f6;padding:22px 0 18px}
      header.top .kicker{margin:0;color:#9fb0c3;font-size:12px;letter-spacing:.06em;text-transform:uppercase}
      header.top h1{margin:2px 0 12px;font-size:26px;font-weight:600}
      dl.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0}
      dl.facts div{min-width:0}
      dl.facts dt{color:#9fb0c3;font-size:11px;text-transform:uppercase;letter-spacing:.05em}
      dl.facts dd{margin:0;font-weight:500;font-variant-numeric:tabular-nums}
      nav.toc{background:#fff;border-bottom:1px solid var(--line)}
      nav.toc ul{list-style:none;margin:0 auto;padding:8px 24px;max-width:1180px;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px}
      nav.toc a{color:#3b5b7e;text-decoration:none}
      nav.toc a:hover{text-decoration:underline}
      main{padding:8px 0 24px}
      section{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:16px 20px 18px;margin:16px 0}
      section h2{font-size:16px;font-weight:600;margin:0 0 4px}
      section h3{font-size:13px;font-weight:600;margin:14px 0 2px;color:#374151}
      p.lede{margin:0 0 10px;color:var(--muted);font-size:13px;max-width:70em}
      p.empty{margin:4px 0;color:var(--muted);font-style:italic}
      .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(118px,1fr));gap:10px;margin-top:8px}
      .card{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:#fbfcfd}
      .card .label{color:var(--muted);font-size:12px}
      .card .value{font-size:24px;font-weight:600;font-variant-numeric:tabular-nums;line-height:1.25;margin:2px 0}
      .card .sub{color:var(--muted);font-size:12px}
      ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:4px 0 6px;font-size:12.5px}
      ul.legend .note{color:var(--muted);margin-left:6px;font-variant-numeric:tabular-nums}
      .sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
      .sw.line{height:3px;width:16px;border-radius:1px;vertical-align:3px}
      .sw.bold{height:4px;width:16px;border-radius:1px;vertical-align:3px}
      .sw.dashed{height:0;width:16px;border-top:2.5px dashed;border-radius:0;vertical-align:3px}
      .sw.light{opacity:.35}
      .sw.hatched{background:repeating-linear-gradient(45deg,currentColor 0 1.5px,#fff 1.5px 4px);box-shadow:inset 0 0 0 1px currentColor}
      figure.chart{margin:0}
      svg.chart{display:block;width:100%;height:auto;overflow:visible}
      svg.chart text{font-size:12px;fill:#56606b;font-family:inherit}
      svg.chart text.axis-title{fill:#7a8490}
      svg.chart .grid{stroke:#edf0f3;stroke-width:1}
      svg.chart .axis{stroke:#a3acb6;stroke-width:1}
      svg.chart .axis-break{stroke:#a3acb6;stroke-width:1.2}
      svg.chart .line{fill:none;stroke-width:1.4;stroke-linejoin:round}
      svg.chart .line.bold{stroke-width:2.2}
      svg.chart .line.dashed{stroke-width:2;stroke-dasharray:6 4}
      svg.chart .fill{opacity:.14;stroke:none}
      svg.chart .layer{opacity:.88;stroke:#fff;stroke-width:.4}
      svg.chart .band{fill:transparent;pointer-events:all}
      svg.chart .band:hover{fill:rgba(30,42,56,.07)}
      svg.chart .dot{stroke:#fff;stroke-width:1}
      svg.chart .row{fill:transparent}
      svg.chart .row.even{fill:#f7f8fa}
      svg.chart .job:hover .row{fill:#eaeef3}
      svg.chart .waiting{opacity:.32}
      svg.chart .clip-arrow{fill:#6b7280}
      svg.chart text.row-label{font-size:11px;font-variant-numeric:tabular-nums}
      svg.chart text.row-label.cross{font-weight:600}
      svg.chart .slot{fill:transparent;pointer-events:all}
      svg.chart .slot:hover{fill:rgba(30,42,56,.07)}
      svg.chart .bar-row:hover .row{fill:#eaeef3}
      svg.chart .seg.light{opacity:.4}
      svg.chart .hatch{stroke-width:1.2;fill:none}
      svg.chart text.inside{fill:#fff;font-size:12px;font-weight:600}
      svg.chart text.inside.dark{fill:#1f2933}
      tr.total td{font-weight:600;border-top:1px solid #cfd5dc}
      table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:13px}
      th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
      th:first-child,td:first-child{text-align:left;white-space:normal}
      thead th{color:var(--muted);font-weight:600;font-size:12px;border-bottom:1px solid #cfd5dc}
      tbody tr:hover{background:#f7f8fa}
      td .sub{color:var(--muted);font-size:11.5px;margin-left:6px}
      .share{display:inline-block;vertical-align:middle;width:64px;height:6px;background:#edf0f3;border-radius:3px;margin-left:8px;overflow:hidden}
      .share span{display:block;height:100%}
      .scroll{overflow-x:auto}
      footer{color:var(--muted);font-size:12px;padding:8px 0 28px}
      footer p{margin:2px 0}
      .tip{position:fixed;z-index:10;display:none;pointer-events:none;max-width:380px;white-space:pre-line;background:#1e2a38;color:#f3f5f8;font-size:12px;line-height:1.4;padding:6px 9px;border-radius:5px;box-shadow:0 2px 8px rgba(0,0,0,.2)}
      @media (max-width:700px){.wrap{padding:0 12px}section{padding:12px}}
      @media print{
        body{background:#fff;font-size:12px}
        header.top{background:#fff;color:var(--ink);border-bottom:2px solid var(--ink)}
        header.top .kicker,dl.facts dt{color:var(--muted)}
        nav.toc,.tip{display:none}
        section{border:none;border-radius:0;padding:8px 0;break-inside:avoid;page-break-inside:avoid}
        svg.chart .band{display:none}
        .wrap{max-width:none}
      }
      """;

  public static final String SCRIPT = """
      (function () {
        var tip = document.createElement('div');
        tip.className = 'tip';
        tip.setAttribute('role', 'tooltip');
        document.body.appendChild(tip);
        var titles = document.querySelectorAll('svg title');
        for (var i = 0; i < titles.length; i++) {
          var t = titles[i], host = t.parentNode;
          host.setAttribute('data-tip', t.textContent);
          host.setAttribute('aria-label', t.textContent);
          host.removeChild(t);
        }
        function hide() { tip.style.display = 'none'; }
        document.addEventListener('mousemove', function (e) {
          var el = e.target && e.target.closest ? e.target.closest('[data-tip]') : null;
          if (!el) { hide(); return; }
          tip.textContent = el.getAttribute('data-tip');
          tip.style.display = 'block';
          var x = e.clientX + 14, y = e.clientY + 14;
          if (x + tip.offsetWidth > window.innerWidth - 8) { x = e.clientX - tip.offsetWidth - 14; }
          if (y + tip.offsetHeight > window.innerHeight - 8) { y = e.clientY - tip.offsetHeight - 14; }
          tip.style.left = Math.max(4, x) + 'px';
          tip.style.top = Math.max(4, y) + 'px';
        });
        document.addEventListener('mouseleave', hide);
        window.addEventListener('scroll', hide, { passive: true });
      })();
      """;
}
