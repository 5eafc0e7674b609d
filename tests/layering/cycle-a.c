/* Self-test of layering.py: uses cycle_b() of another object. */
int cycle_a(int n);
int cycle_b(int n);

int cycle_a(int n)
{
	return n > 0 ? cycle_b(n - 1) : 0;
}
