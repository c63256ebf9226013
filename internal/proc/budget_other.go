//go:build !linux && !darwin && !freebsd

package proc

// ThreadLimitName diz, para as mensagens, de onde vem o limite de ThreadBudget.
const ThreadLimitName = "sem limite conhecido"

// ThreadBudget: -1, sem limite conhecido neste sistema (veja budget_linux.go).
func ThreadBudget() int { return -1 }
