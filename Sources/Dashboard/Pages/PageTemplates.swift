/// The console's mustache templates (swift-mustache), compiled into the binary so a moved
/// executable never misses a resource. `{{x}}` escapes HTML; `{{{x}}}` is used only for the
/// stylesheet, the rendered body and the SVG chart, which the renderer builds from numbers and
/// escaped text.
enum PageTemplates {
    static let layout = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
    <title>{{title}} · QuantumTrader</title>
    <style>{{{style}}}</style>
    </head>
    <body>
    <header>
    <a class="brand" href="/">QuantumTrader</a>
    <span class="session">{{session}}</span>
    {{#csrf}}<form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button></form>{{/csrf}}
    </header>
    <main>
    {{{body}}}
    </main>
    </body>
    </html>
    """

    static let login = """
    <section class="login">
    <h1>Log in</h1>
    {{#message}}<p class="error" id="login-error">{{message}}</p>{{/message}}
    <form method="post" action="/login">
    <input type="hidden" name="login_csrf" value="{{loginCSRF}}">
    <label>Password <input type="password" name="password" autocomplete="current-password" required autofocus></label>
    <button type="submit" id="login">Log in</button>
    </form>
    </section>
    """

    static let overview = """
    {{#problems}}<p class="error">{{.}}</p>{{/problems}}
    <section id="positions">
    <h2>Open positions ({{positionCount}})</h2>
    {{#hasUnprotected}}<p class="error" id="unprotected-warning">{{unprotectedCount}} position(s) UNPROTECTED</p>{{/hasUnprotected}}
    {{#hasPositions}}
    <table>
    <thead><tr><th>Symbol</th><th>Side</th><th>Size</th><th>Entry</th><th>Mark</th><th>Stop</th><th>Open targets</th><th>Price move</th><th>ROE</th>
    <th>Unrealised PnL</th><th>Liquidation</th><th>Exit owner</th><th>Backstop</th><th>Last price event</th><th>Protection</th><th></th></tr></thead>
    <tbody>
    {{#positions}}
    <tr class="{{rowClass}}" id="position-{{symbol}}">
    <td>{{symbol}}</td><td>{{side}}</td><td>{{quantity}}</td><td>{{entryPrice}}</td><td>{{markPrice}}</td><td class="stop">{{stopPrice}}</td>
    <td>{{targets}}</td><td class="{{moveClass}}">{{priceMove}}</td><td class="{{moveClass}}">{{roe}}</td><td class="{{moveClass}}">{{unrealizedPnl}}</td>
    <td>{{liquidationPrice}}</td><td>{{exitOwner}}</td><td class="backstop">{{backstop}}</td><td>{{lastPriceEvent}}</td>
    <td class="protection">{{protection}}</td>
    <td><form method="get" action="/confirm/close"><input type="hidden" name="symbol" value="{{symbol}}"><button type="submit" id="close-{{symbol}}">Close</button></form></td>
    </tr>
    {{/positions}}
    </tbody>
    </table>
    {{/hasPositions}}
    {{^hasPositions}}<p id="no-positions">No open positions.</p>{{/hasPositions}}
    <div class="actions">
    <form method="get" action="/confirm/close-all"><button type="submit" id="close-all">Close all</button></form>
    <form method="get" action="/confirm/halt"><button type="submit" id="halt">Halt entries</button></form>
    <form method="get" action="/confirm/resume"><button type="submit" id="resume">Resume entries</button></form>
    </div>
    </section>

    <section id="risk">
    <h2>Risk</h2>
    {{#risk}}
    <p>Manual state: <strong class="{{manualClass}}">{{manualState}}</strong> {{manualDetail}}</p>
    {{#engineState}}<p>Risk engine: <strong>{{engineState}}</strong></p>{{/engineState}}
    {{#entriesHeldReason}}<p class="warn">Entries held: {{entriesHeldReason}}</p>{{/entriesHeldReason}}
    {{#hasEvents}}<table><thead><tr><th>Time</th><th>Run</th><th>State</th><th>Cause</th><th>Detail</th></tr></thead><tbody>
    {{#events}}<tr><td>{{time}}</td><td>{{run}}</td><td>{{state}}</td><td>{{cause}}</td><td>{{detail}}</td></tr>{{/events}}
    </tbody></table>{{/hasEvents}}
    {{/risk}}
    </section>

    <section id="equity">
    <h2>Equity and drawdown</h2>
    <p>{{equityLine}}</p>
    {{{chart}}}
    </section>

    <section id="signals">
    <h2>Recent signals and the validator's decisions</h2>
    {{#hasSignals}}<table><thead><tr><th>Time</th><th>Symbol</th><th>Side</th><th>Confidence</th><th>Source</th><th>Decision</th><th>Reasons</th></tr></thead><tbody>
    {{#signals}}<tr class="{{decisionClass}}"><td>{{time}}</td><td>{{symbol}}</td><td>{{side}}</td><td>{{confidence}}</td><td>{{source}}</td><td>{{decision}}</td>
    <td><ul>{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul></td></tr>{{/signals}}
    </tbody></table>{{/hasSignals}}
    {{^hasSignals}}<p>No signals yet.</p>{{/hasSignals}}
    </section>

    <section id="trades">
    <h2>Recent trades</h2>
    {{#hasTrades}}<table><thead><tr><th>Run</th><th>Symbol</th><th>Side</th><th>Size</th><th>Entry</th><th>Exit</th><th>Reason</th><th>Price move</th><th>Fees</th><th>Net PnL</th><th>Closed</th></tr></thead><tbody>
    {{#trades}}<tr id="trade-{{index}}"><td>{{runID}}</td><td>{{symbol}}</td><td>{{side}}</td><td>{{quantity}}</td><td>{{entryPrice}}</td><td>{{exitPrice}}</td>
    <td>{{exitReason}}</td><td class="{{pnlClass}}">{{priceMove}}</td><td>{{fees}}</td><td class="{{pnlClass}}">{{netPnl}}</td><td>{{exitTime}}</td></tr>{{/trades}}
    </tbody></table>{{/hasTrades}}
    {{^hasTrades}}<p>No closed trades yet.</p>{{/hasTrades}}
    </section>

    <section id="alerts">
    <h2>Alerts</h2>
    {{#hasAlerts}}<table><thead><tr><th>Time</th><th>Severity</th><th>Kind</th><th>Symbol</th><th>Message</th></tr></thead><tbody>
    {{#alerts}}<tr class="{{severityClass}}"><td>{{time}}</td><td>{{severity}}</td><td>{{kind}}</td><td>{{symbol}}</td><td>{{message}}</td></tr>{{/alerts}}
    </tbody></table>{{/hasAlerts}}
    {{^hasAlerts}}<p>No alerts.</p>{{/hasAlerts}}
    </section>

    <section id="runs">
    <h2>Runs</h2>
    {{#hasRuns}}<table><thead><tr><th>#</th><th>Kind</th><th>Strategy and data</th><th>Started</th><th>Finished</th><th>Trades</th><th>Net PnL</th><th>Config</th></tr></thead><tbody>
    {{#runs}}<tr><td>{{id}}</td><td>{{kind}}</td><td>{{detail}}</td><td>{{startedAt}}</td><td>{{finishedAt}}</td><td>{{trades}}</td><td>{{netPnl}}</td><td>{{configHash}}</td></tr>{{/runs}}
    </tbody></table>{{/hasRuns}}
    {{^hasRuns}}<p>No runs recorded.</p>{{/hasRuns}}
    </section>

    <section id="model">
    <h2>Strategy and model</h2>
    {{#model}}<p><strong>{{name}}</strong> {{detail}}</p>
    {{#verdict}}<p class="warn">Model's verdict: {{verdict}}</p>{{/verdict}}
    {{#hasFigures}}<table><thead><tr><th>Out-of-sample figure</th><th>Value</th></tr></thead><tbody>
    {{#figures}}<tr><td>{{name}}</td><td>{{value}}</td></tr>{{/figures}}</tbody></table>{{/hasFigures}}
    {{/model}}
    {{^model}}<p>Not known in this view (start with the session, or give --config).</p>{{/model}}
    </section>
    """

    static let confirm = """
    <section class="confirm">
    <h1>{{heading}}</h1>
    <p>{{question}}</p>
    {{#details}}<p>{{.}}</p>{{/details}}
    <form method="post" action="{{action}}">
    <input type="hidden" name="csrf" value="{{csrf}}">
    {{#symbol}}<input type="hidden" name="symbol" value="{{symbol}}">{{/symbol}}
    {{#needsReason}}<label>Reason <input type="text" name="reason" maxlength="200" required></label>{{/needsReason}}
    <button type="submit" id="confirm" class="danger">{{button}}</button>
    <a href="/" id="cancel">Cancel</a>
    </form>
    </section>
    """

    static let outcome = """
    <section class="outcome">
    <h1>{{heading}}</h1>
    <p class="{{stateClass}}" id="outcome"><strong>{{state}}</strong>: {{detail}}</p>
    {{#pending}}<p>The session carries it out at its next tick; this page checks again.</p>{{/pending}}
    <p><a href="/" id="back">Back to the console</a></p>
    </section>
    """

    static let message = """
    <section class="outcome">
    <h1>{{heading}}</h1>
    <p class="error">{{detail}}</p>
    <p><a href="/">Back to the console</a></p>
    </section>
    """

    static let style = """
    body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
    header{display:flex;gap:1em;align-items:center;background:#1b1f24;color:#fff;padding:.5em 1em}
    header .brand{color:#fff;font-weight:bold;text-decoration:none}
    header .session{flex:1;opacity:.85}
    main{padding:1em}
    section{background:#fff;border:1px solid #d0d4da;border-radius:4px;padding:.5em 1em;margin-bottom:1em}
    h2{font-size:1.1em}
    table{border-collapse:collapse;width:100%;font-size:.9em}
    th,td{border-bottom:1px solid #e3e6ea;padding:.25em .4em;text-align:left;vertical-align:top}
    tr.unprotected{background:#ffd6d6}
    tr.stale{background:#fff1c2}
    td.protection{font-weight:bold}
    .error{color:#a40000;font-weight:bold}
    .warn{color:#8a5a00}
    .ok{color:#126b12}
    .gain{color:#126b12}
    .loss{color:#a40000}
    tr.rejected{color:#555}
    tr.critical{background:#ffd6d6}
    tr.warning{background:#fff6dc}
    form.inline{display:inline}
    .actions{display:flex;gap:.5em;margin:.5em 0}
    .actions form{display:inline}
    button{padding:.3em .8em;cursor:pointer}
    button.danger{background:#a40000;color:#fff;border:0}
    ul{margin:0;padding-left:1.2em}
    .halted{color:#a40000}
    .active{color:#126b12}
    svg{max-width:100%;height:auto;background:#fbfcfd}
    """
}
