// GraphiQL over this server: queries and mutations over HTTP, subscriptions over
// graphql-transport-ws, the first tab opening with an example over the seed data.
"use strict";

const EXAMPLE = `# Welcome to garrison. Press the run button (or Ctrl-Enter).
#
# Reading above the anonymous clearance, or writing, needs a token:
#   garrison token create --role reader --clearance AMBER
# then open "Headers" below and write {"Authorization": "Bearer <token>"}.
# Subscriptions (try: subscription { eventReported { title } }) use it too.

{
  bases(first: 5) {
    nodes {
      name
      country
      location { latitude longitude }
      tenures { nodes { role actor { name } validFrom { edtf } } }
      events(last: 3) {
        nodes {
          title
          occurred { edtf }
          attestations {
            nodes { credibility report { title source { name reliability } } }
          }
        }
      }
    }
  }
}
`;

const fetcher = GraphiQL.createFetcher({
  url: `${location.origin}/graphql`,
  wsClient: garrisonConsole.wsClient(),
});

ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: EXAMPLE,
    defaultHeaders: "{}",
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: "headers",
  }),
);
