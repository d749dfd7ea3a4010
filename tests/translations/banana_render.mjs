// Reads {"locale", "wikilinks", "messages": {key: message}, "parameters": {key: [...]}} on
// stdin and prints {key: {"html": ...} | {"error": ...}}: each message rendered by
// banana-i18n (the npm package, installed by scripts/system-deps into node_modules).
import Banana from 'banana-i18n'

let input = ''
for await (const chunk of process.stdin) input += chunk
const { locale, wikilinks, messages, parameters } = JSON.parse(input)
const banana = new Banana(locale, { wikilinks })
banana.load(messages, locale)
const results = {}
for (const key of Object.keys(messages)) {
  try {
    results[key] = { html: banana.i18n(key, ...(parameters[key] || [])) }
  } catch (error) {
    results[key] = { error: String(error.message || error) }
  }
}
process.stdout.write(JSON.stringify(results))
