"""Values of task jobs: instances, disks, docker images, logs."""
