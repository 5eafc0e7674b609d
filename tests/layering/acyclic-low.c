/* Self-test of layering.py: uses nothing of the other objects. */
int acyclic_low(int n);

int acyclic_low(int n)
{
	return n + 1;
}
