#!/bin/sh
# Stand-in for analysis_cmd in tests.  Modes (first argument):
#   echo   read the item JSON and print an analysis mentioning its title
#   sleep  sleep past any test timeout
#   flood  print far more than the output cap
#   fail   exit 3 without output
case "${1:-echo}" in
echo)
	json=$(cat)
	title=$(printf '%s' "$json" | sed -n 's/.*"title":"\([^"]*\)".*/\1/p')
	printf 'Deeper view: %s\n\nSecond paragraph.\n' "$title"
	;;
sleep)
	sleep 30
	;;
flood)
	yes 'lots of analysis text' | head -c 10000000
	;;
fail)
	exit 3
	;;
esac
