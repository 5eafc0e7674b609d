/* Self-test of layering.py: uses cycle_a() of another object. */
int cycle_b(int n);
int cycle_a(int n);

int cycle_b(int n)
{
	return n > 0 ? cycle_a(n - 1) : 0;
}
