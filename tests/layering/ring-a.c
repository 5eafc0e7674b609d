/* Self-test of layering.py: uses ring_b() of another object. */
int ring_a(int n);
int ring_b(int n);

int ring_a(int n)
{
	return n > 0 ? ring_b(n - 1) : 0;
}
