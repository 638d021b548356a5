#!/bin/sh
# placeholder until the catalogue lands
echo "1..0 # SKIP catalogue not yet written"
