//go:build race

package e2e

// raceEnabled: os testes rodam com -race, então os programas testados também.
const raceEnabled = true
