/* One runner for every suite; CK_FORK=no under Valgrind is honoured by Check. */
#include <stdlib.h>

#include "test-suites.h"

int main(void)
{
	SRunner *runner = srunner_create(suite_tree());
	srunner_add_suite(runner, suite_ns());
	srunner_add_suite(runner, suite_write());
	srunner_add_suite(runner, suite_life());
	srunner_add_suite(runner, suite_records());
	srunner_add_suite(runner, suite_callback());
	srunner_add_suite(runner, suite_check());
	srunner_add_suite(runner, suite_check_broken());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
