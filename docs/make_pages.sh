#!/usr/bin/env bash
# Regenerate docs/pages/*.png: a few pages of the rendered 304/2023 publication, so a reader sees
# what budgetpub makes. Needs LibreOffice with python3-uno, the Noto CJK fonts and poppler (Debian:
# libreoffice-writer-nogui, python3-uno, fonts-noto-cjk, poppler-utils). Run from the repository root
# after a layout change. The PDF is budgetpub's own (generate --format pdf: contents updated, SC fonts).
set -euo pipefail
out=$(mktemp -d)
generate --dept 304 --year 2023 --format pdf --out "$out/publication.pdf" >/dev/null
mkdir -p docs/pages
rm -f docs/pages/*.png
# page: what it shows
pages="1:cover 2:contents 3:t1-revenue-expenditure 4:t2-revenue-landscape 8:t6-basic-economic 10:narrative-start 18:performance-tables 20:procurement 21:assets 30:unit-narrative"
for entry in $pages; do
  n=${entry%%:*}; name=${entry#*:}
  pdftoppm -png -r 70 -f "$n" -l "$n" -singlefile "$out/publication.pdf" "docs/pages/$(printf %02d "$n")-$name"
done
pdfinfo "$out/publication.pdf" | grep Pages
ls docs/pages
