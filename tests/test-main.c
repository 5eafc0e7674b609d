/* One runner for every suite; CK_FORK=no under Valgrind is honoured by Check. */
#include <stdlib.h>

#include "test-suites.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		suite_fork, suite_pids, suite_exit, suite_ns, suite_caps,
		suite_write, suite_write_rules, suite_capcontid, suite_life,
		suite_netns_lists, suite_records, suite_records_capcontid,
		suite_records_drop, suite_records_events, suite_records_clock,
		suite_records_names, suite_callback, suite_check,
		suite_check_broken, suite_api, suite_clone_digest, suite_refusals,
		suite_signal,
	};
	SRunner *runner = srunner_create(NULL);

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(runner, suites[i]());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
