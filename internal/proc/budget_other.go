//go:build !linux && !darwin && !freebsd

package proc

// ThreadBudget: -1, sem limite conhecido neste sistema (veja budget_linux.go).
func ThreadBudget() int { return -1 }
