// What garrison's pages share: the caller's headers (as GraphiQL keeps them), the
// GraphQL endpoint over HTTP and over WebSocket.
"use strict";

const garrisonConsole = (() => {
  /** The headers written in GraphiQL's Headers editor (it keeps them in localStorage). */
  function headers() {
    try {
      const stored = JSON.parse(localStorage.getItem("graphiql:headers") || "{}");
      return stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
    } catch {
      return {};
    }
  }

  /** Runs a query over HTTP with the caller's headers; throws on a GraphQL error. */
  async function query(text, variables = {}) {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers() },
      body: JSON.stringify({ query: text, variables }),
    });
    const answer = await response.json();
    if (answer.errors && answer.errors.length) {
      const first = answer.errors[0];
      throw new Error(`${first.extensions?.code ?? "ERROR"}: ${first.message}`);
    }
    return answer.data;
  }

  /** A graphql-ws client of this server, authenticated with the caller's headers. */
  function wsClient() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return graphqlWs.createClient({
      url: `${scheme}//${location.host}/graphql`,
      lazy: true,
      connectionParams: headers,
    });
  }

  return { headers, query, wsClient };
})();
