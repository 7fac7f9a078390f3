/*
 * test_ui_keys.c - every action name feeds.conf accepts for `bind` is one
 * the dashboard knows, so a rebinding that passes the config check works.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "conf.h"
#include "ui.h"

static void
test_every_conf_action_is_known(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; conf_bind_actions[i] != NULL; i++)
		if (ui_action_from_name(conf_bind_actions[i]) < 0)
			fail_msg("bind action '%s' unknown to the dashboard",
			    conf_bind_actions[i]);
	assert_true(i >= 28);
	assert_int_equal(ui_action_from_name("next"), UA_DOWN);
	assert_int_equal(ui_action_from_name("analyze"), UA_ANALYZE);
	assert_int_equal(ui_action_from_name("no_such_action"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_conf_action_is_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
