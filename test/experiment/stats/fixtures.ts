/**
 * R's `sleep` data set (Cushny and Peebles, 1905; Student, 1908): extra hours of sleep of 10 patients under two
 * drugs. The textbook example of `?t.test` and `?wilcox.test`, so its figures are widely printed.
 */
export const SLEEP_GROUP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
export const SLEEP_GROUP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

/**
 * Hollander and Wolfe (1973), p. 29: Hamilton depression scale before (x) and after (y) a tranquilliser, the
 * paired example of R's `?wilcox.test`.
 */
export const HW_X = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
export const HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
