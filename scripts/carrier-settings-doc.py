#!/usr/bin/env python3
# Regenerates the "Settings per carrier" section of docs/carriers.md from each registered
# carrier's `SettingSpec`s in carriers/src/<id>/mod.rs (run from the repository root;
# conformance/tests/docs.rs fails when the section is behind the registry).
import re
reg=open('carriers/src/lib.rs').read()
ids=re.findall(r'^\s+(\w+)::spec\(\),', reg, re.M)
rows=[]
for c in ids:
    s=open(f'carriers/src/{c}/mod.rs').read()
    name=re.search(r'name: "([^"]+)"', s).group(1)
    for m in re.finditer(r'(?s)SettingSpec \{\s*key: "([^"]+)",\s*secret: (true|false),\s*required: (true|false),\s*about: ((?:"(?:[^"\\]|\\.)*"\s*,?\s*)+)\}', s):
        about=' '.join(re.findall(r'(?s)"((?:[^"\\]|\\.)*)"', m.group(4)))
        about=re.sub(r'\\\s*\n\s*', '', about).replace('\\"','"')
        about=re.sub(r'\s+',' ',about)
        flags=[]
        flags.append('required' if m.group(3)=='true' else 'optional')
        if m.group(2)=='true': flags.append('secret')
        rows.append(f"| {name} | `SHIPGATE_CARRIERS__{c.upper()}__{m.group(1).upper()}` | {', '.join(flags)} | {about} |")
section = "## Settings per carrier\n\nThe credentials and settings each carrier's account takes, as environment variables of\nits platform account (`<ID>` is the account id; the same keys in TOML under\n`[carriers.<id>]`, and as the `settings` of a tenant's own account). Secrets are masked\nin every log and never returned by the API. Required settings are required in live mode;\nsandbox mode fills them with the simulator's.\n\n| carrier | variable | | meaning |\n|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
p='docs/carriers.md'
d=open(p).read()
if '## Settings per carrier' in d:
    a=d.index('## Settings per carrier'); b=d.index('\n## ', a+5)+1
    d=d[:a]+section+d[b:]
else:
    a=d.index('## Carriers without a rate API')
    d=d[:a]+section+d[a:]
open(p,'w').write(d)
print(len(rows))
