/* Self-test of layering.py: uses acyclic_low() of another object. */
int acyclic_high(int n);
int acyclic_low(int n);

int acyclic_high(int n)
{
	return n > 0 ? acyclic_low(n - 1) : 0;
}
