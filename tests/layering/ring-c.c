/* Self-test of layering.py: uses ring_a() of another object. */
int ring_c(int n);
int ring_a(int n);

int ring_c(int n)
{
	return n > 0 ? ring_a(n - 1) : 0;
}
