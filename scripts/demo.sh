#!/usr/bin/env bash
# The main job on embedded defaults, without GitHub: a repository holding the sample projects,
# a change to a shared module and to one project, then `tfgate detect` and `tfgate plan` on it;
# then the GitHub App itself against a simulated GitHub (`tfgate demo`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"

work="$root/.data/demo"
repo="$work/repo"
rm -rf "$repo" && mkdir -p "$repo"
cp -r projects modules "$repo/"
[[ -d policies ]] && cp -r policies "$repo/"
git_() { git -C "$repo" -c user.name=demo -c user.email=demo@example.com -c commit.gpgsign=false "$@"; }
git_ init -q -b main
git_ add -A && git_ commit -qm "Sample infrastructure"

git_ switch -q -c change-network
# A change to a shared module (reaches kirare and ortensia through modules/network) ...
sed -i 's/default = "eu-central"/default = "eu-central" # zone of every subnet/' "$repo/modules/network/main.tf"
# ... and to one project directly.
cat >> "$repo/projects/stella-maris/main.tf" <<'TF'

resource "hcloud_placement_group" "bastion" {
  name   = "stella-maris-bastion"
  type   = "spread"
  labels = module.labels.labels
}
TF
git_ add -A && git_ commit -qm "Annotate the network zone; add a bastion placement group"

echo
echo "### tfgate detect --base main --head change-network"
node dist/cli.js detect --repo "$repo" --base main --head change-network
echo
echo "### tfgate plan --base main --head change-network --sandbox bwrap"
status=0
node dist/cli.js plan --repo "$repo" --base main --head change-network --sandbox bwrap --data-dir "$work/data" || status=$?
echo
echo "Demo repository: $repo (data: $work/data). Exit code of tfgate plan: $status"

echo
echo "### The GitHub App: tfgate serve against a simulated GitHub (no account needed)"
echo
node dist/cli.js demo
exit "$status"
