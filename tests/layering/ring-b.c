/* Self-test of layering.py: uses ring_c() of another object. */
int ring_b(int n);
int ring_c(int n);

int ring_b(int n)
{
	return n > 0 ? ring_c(n - 1) : 0;
}
